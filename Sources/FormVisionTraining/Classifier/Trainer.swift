import FormVision
import Dispatch

/// Trains the digit network with Adam on freshly generated samples every epoch.
///
/// Deterministic for a seed and a worker count: every sample comes from its own derived
/// generator, and the workers' gradients are summed in a fixed order.
public struct Trainer: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// 48 epochs read unseen hands better than 16 or 32 (`train --validate`); 6 to 7 minutes on 2 cores.
        public var epochs = 48
        /// Samples generated per epoch.
        public var samplesPerEpoch = 40_000
        public var batchSize = 32
        /// Adam's learning rate at the start; `schedule` says how it falls.
        public var learningRate: Float = 0.002
        /// A cosine to zero leaves the last epochs nothing to undo; halving every 12 epochs
        /// still moved the columns 80-89 figure by ±0.4 % between the last epochs.
        public var schedule = Schedule.cosine
        /// With `.step`: halve the learning rate every this many epochs.
        public var decayEvery = 12
        /// Dropout rate on the pooled features entering the first dense layer, which holds most
        /// of the weights (0 = none). With 0.25, `train --validate` read columns 80-89 at
        /// 99.2-99.4 % in three runs (two seeds), against 98.4-98.8 % without; the log loss
        /// fell from 0.04-0.05 to 0.02.
        public var dropout: Float = 0.25
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        /// L2 weight decay on weights (not biases).
        public var weightDecay: Float = 1e-5
        /// Weight averaging: the network returned is an exponential moving average of the
        /// parameters after every step, with this decay (0 = no averaging, the last step's
        /// parameters). Averaging smooths out the last steps' noise; 0.999 remembers about the
        /// last 1,000 steps (0.8 of an epoch of 40,000 samples in batches of 32).
        public var averageDecay: Float = 0.999
        /// Threads that compute gradients in parallel.
        public var workers = 2
        public var seed: UInt64 = 1

        public init() {}

        /// How the learning rate falls over a run.
        public enum Schedule: String, Sendable, CaseIterable {
            /// Halved every `decayEvery` epochs.
            case step
            /// Half a cosine, step by step, from `learningRate` to zero at the last step.
            case cosine
        }

        /// The learning rate for `step` (0-based) of a run of `totalSteps`, in `epoch` (1-based).
        public func learningRate(step: Int, of totalSteps: Int, epoch: Int) -> Float {
            switch schedule {
            case .step:
                return learningRate * pow(0.5, Float((epoch - 1) / max(1, decayEvery)))
            case .cosine:
                let progress = Double(step) / Double(max(1, totalSteps))
                return learningRate * Float(0.5 * (1 + cos(Double.pi * progress)))
            }
        }
    }

    /// What happened in one epoch.
    public struct EpochReport: Sendable {
        public var epoch: Int
        public var loss: Double
        public var heldOutAccuracy: Double
        public var seconds: Double
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Trains from scratch.
    ///
    /// - Parameters:
    ///   - cells: The sample generator (training digits only).
    ///   - heldOut: Inputs and labels to report accuracy on after every epoch (never trained on).
    ///   - progress: Called after every epoch.
    public func train(cells: TrainingCells, heldOut: [(cell: [Float], label: DigitClass)],
                      progress: (EpochReport) -> Void) throws(ImageError) -> DigitNetwork {
        let p = parameters
        var network = DigitNetwork.random(seed: p.seed)
        let count = DigitNetwork.Layout.parameterCount
        var m = [Float](repeating: 0, count: count), v = [Float](repeating: 0, count: count)
        let decayMask = Self.weightMask()
        var step: Float = 0
        var average = network
        let root = SeededGenerator(seed: p.seed)
        let stepsPerEpoch = (p.samplesPerEpoch + p.batchSize - 1) / p.batchSize
        for epoch in 1 ... p.epochs {
            let started = DispatchTime.now()
            let (inputs, labels) = try Self.generate(cells, count: p.samplesPerEpoch, root: root, epoch: epoch, workers: p.workers)
            var totalLoss = 0.0
            var start = 0
            while start < p.samplesPerEpoch {
                let end = min(start + p.batchSize, p.samplesPerEpoch)
                let learningRate = p.learningRate(step: Int(step), of: p.epochs * stepsPerEpoch, epoch: epoch)
                let dropout = p.dropout > 0 ? Workspace.Dropout(rate: p.dropout, seed: root.derivedSeed("dropout-\(Int(step))")) : nil
                let (gradient, loss) = Self.gradient(network, inputs: inputs, labels: labels, range: start ..< end,
                                                     dropout: dropout, workers: p.workers)
                totalLoss += Double(loss)
                step += 1
                let scale = 1 / Float(end - start)
                let correction1 = 1 - pow(p.beta1, step), correction2 = 1 - pow(p.beta2, step)
                for i in 0 ..< count {
                    let g = gradient[i] * scale + p.weightDecay * decayMask[i] * network.parameters[i]
                    m[i] = p.beta1 * m[i] + (1 - p.beta1) * g
                    v[i] = p.beta2 * v[i] + (1 - p.beta2) * g * g
                    network.parameters[i] -= learningRate * (m[i] / correction1) / ((v[i] / correction2).squareRoot() + 1e-8)
                }
                // Debiased like Adam's moments: early on the average leans on the latest parameters.
                let decay = min(p.averageDecay, (1 + step) / (10 + step))
                for i in 0 ..< count { average.parameters[i] = decay * average.parameters[i] + (1 - decay) * network.parameters[i] }
                start = end
            }
            let accuracy = Self.accuracy(average, heldOut)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            progress(EpochReport(epoch: epoch, loss: totalLoss / Double(p.samplesPerEpoch), heldOutAccuracy: accuracy, seconds: seconds))
        }
        return average
    }

    /// One epoch's samples, generated on `workers` threads. Sample i always comes from the
    /// generator derived for (epoch, i), so the result does not depend on the thread count.
    static func generate(_ cells: TrainingCells, count: Int, root: SeededGenerator, epoch: Int,
                         workers: Int) throws(ImageError) -> (inputs: [Float], labels: [Int]) {
        let side = DigitNetwork.Layout.side * DigitNetwork.Layout.side
        var inputs = [Float](repeating: 0, count: count * side)
        var labels = [Int](repeating: 0, count: count)
        let parts = max(1, min(workers, count))
        var failures = [ImageError?](repeating: nil, count: parts)
        inputs.withUnsafeMutableBufferPointer { x in
            labels.withUnsafeMutableBufferPointer { y in
                failures.withUnsafeMutableBufferPointer { f in
                    let shared = GenerationSlots(inputs: x.baseAddress!, labels: y.baseAddress!, failures: f.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: parts) { part in
                        do throws(ImageError) {
                            for i in stride(from: part, to: count, by: parts) {
                                var g = root.derived("epoch-\(epoch)-sample-\(i)")
                                let (cell, label) = try cells.sample(using: &g)
                                (shared.inputs + i * side).update(from: cell, count: side)
                                shared.labels[i] = label.rawValue
                            }
                        } catch {
                            shared.failures[part] = error
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        return (inputs, labels)
    }

    /// Where generation threads write: each writes only the slots of its own samples.
    struct GenerationSlots: @unchecked Sendable {
        let inputs: UnsafeMutablePointer<Float>
        let labels: UnsafeMutablePointer<Int>
        let failures: UnsafeMutablePointer<ImageError?>
    }

    /// 1 for weights, 0 for biases: weight decay applies to weights only.
    static func weightMask() -> [Float] {
        typealias L = DigitNetwork.Layout
        var mask = [Float](repeating: 1, count: L.parameterCount)
        for (offset, n) in [(L.conv1Bias, L.conv1), (L.conv2Bias, L.conv2), (L.dense1Bias, L.hidden), (L.dense2Bias, L.classes)] {
            for i in offset ..< offset + n { mask[i] = 0 }
        }
        return mask
    }

    /// Summed gradients and loss over a range of samples, split over `workers` threads.
    static func gradient(_ network: DigitNetwork, inputs: [Float], labels: [Int], range: Range<Int>,
                         dropout: Workspace.Dropout? = nil, workers: Int) -> ([Float], Float) {
        let count = DigitNetwork.Layout.parameterCount
        let parts = max(1, min(workers, range.count))
        let partials = UnsafeMutableBufferPointer<Float>.allocate(capacity: parts * count)
        partials.initialize(repeating: 0)
        let losses = UnsafeMutableBufferPointer<Float>.allocate(capacity: parts)
        losses.initialize(repeating: 0)
        defer { partials.deallocate(); losses.deallocate() }
        network.parameters.withUnsafeBufferPointer { p in
            inputs.withUnsafeBufferPointer { x in
                let shared = Shared(parameters: p.baseAddress!, inputs: x.baseAddress!, partials: partials.baseAddress!,
                                    losses: losses.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    var workspace = Workspace()
                    defer { workspace.deallocate() }
                    let g = shared.partials + part * count
                    var loss: Float = 0
                    for n in stride(from: range.lowerBound + part, to: range.upperBound, by: parts) {
                        // Each sample drops its own features, whichever thread runs it.
                        let drop = dropout.map { Workspace.Dropout(rate: $0.rate, seed: $0.seed &+ UInt64(n) &* 0x9E37_79B9_7F4A_7C15) }
                        workspace.forward(shared.parameters, shared.inputs + n * 784, mode: .training, dropout: drop)
                        loss += workspace.backward(shared.parameters, label: labels[n], gradients: g)
                    }
                    shared.losses[part] = loss
                }
            }
        }
        var total = [Float](repeating: 0, count: count)
        for part in 0 ..< parts { for i in 0 ..< count { total[i] += partials[part * count + i] } }
        return (total, losses.reduce(0, +))
    }

    /// The buffers the gradient workers share: they read the parameters and inputs and each
    /// writes only its own slice of `partials` and `losses`.
    struct Shared: @unchecked Sendable {
        let parameters: UnsafePointer<Float>
        let inputs: UnsafePointer<Float>
        let partials: UnsafeMutablePointer<Float>
        let losses: UnsafeMutablePointer<Float>
    }

    /// Top-1 accuracy over labelled inputs.
    public static func accuracy(_ network: DigitNetwork, _ samples: [(cell: [Float], label: DigitClass)]) -> Double {
        guard !samples.isEmpty else { return 0 }
        let probabilities = network.probabilities(samples.flatMap(\.cell), count: samples.count)
        var correct = 0
        for (n, sample) in samples.enumerated() where DigitNetwork.top(probabilities, cell: n).class == sample.label {
            correct += 1
        }
        return Double(correct) / Double(samples.count)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

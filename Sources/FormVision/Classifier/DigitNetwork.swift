/// The digit network: a small CNN over 28 × 28 cells, written out by hand.
///
/// ```
/// input   (1, 28, 28)   ink coverage 0–1, as CellImage.pixels / 255
/// conv1   (8, 28, 28)   3×3, pad 1, ReLU
/// pool1   (8, 14, 14)   2×2 max
/// conv2   (16, 14, 14)  3×3, pad 1, ReLU
/// pool2   (16, 7, 7)    2×2 max
/// dense1  (64)          ReLU
/// dense2  (12)          logits → softmax over DigitClass
/// ```
/// About 52 k parameters and 0.33 M multiply-adds per cell: small enough for tens of thousands
/// of cells a second on one core, large enough for handwritten digits (a network twice as wide
/// measured no better on the held-out digits: 98.4 %).
///
/// All parameters live in one array with named views (`Layout`), as llm.c does.
public struct DigitNetwork: Sendable, Equatable {
    /// Shapes and parameter offsets.
    public enum Layout {
        public static let side = 28
        public static let conv1 = 8
        public static let conv2 = 16
        public static let hidden = 64
        public static let classes = DigitClass.allCases.count
        package static let pooled2 = conv2 * 7 * 7

        package static let conv1Weight = 0
        package static let conv1Bias = conv1Weight + conv1 * 9
        package static let conv2Weight = conv1Bias + conv1
        package static let conv2Bias = conv2Weight + conv2 * conv1 * 9
        package static let dense1Weight = conv2Bias + conv2
        package static let dense1Bias = dense1Weight + hidden * pooled2
        package static let dense2Weight = dense1Bias + hidden
        package static let dense2Bias = dense2Weight + classes * hidden
        /// Total number of parameters.
        public static let parameterCount = dense2Bias + classes
    }

    /// Every weight and bias, laid out as `Layout` says.
    public var parameters: [Float]
    /// Softmax temperature from calibration (1 = uncalibrated).
    public var temperature: Float

    public init(parameters: [Float], temperature: Float = 1) {
        precondition(parameters.count == Layout.parameterCount, "wrong number of parameters")
        self.parameters = parameters
        self.temperature = temperature
    }

    // MARK: Inference

    /// Class probabilities for a batch of cells.
    ///
    /// - Parameter cells: `count` × 784 values, each cell 28 × 28 row-major, ink 0–1.
    /// - Returns: `count` × 12 probabilities, in `DigitClass` order.
    /// - Complexity: O(count); buffers are allocated once per call, not per cell.
    public func probabilities(_ cells: [Float], count: Int) -> [Float] {
        var output = logits(cells, count: count)
        output.withUnsafeMutableBufferPointer { out in
            var row = [Float](repeating: 0, count: Layout.classes)
            for n in 0 ..< count {
                let start = out.baseAddress! + n * Layout.classes
                Kernels.softmax(start, count: Layout.classes, temperature: temperature, into: &row)
                start.update(from: row, count: Layout.classes)
            }
        }
        return output
    }

    /// The raw scores (before softmax and temperature) for a batch of cells: `count` × 12.
    public func logits(_ cells: [Float], count: Int) -> [Float] {
        precondition(cells.count == count * Layout.side * Layout.side, "cells must be 784 values each")
        var output = [Float](repeating: 0, count: count * Layout.classes)
        var workspace = Workspace()
        defer { workspace.deallocate() }
        parameters.withUnsafeBufferPointer { p in
            cells.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    for n in 0 ..< count {
                        workspace.forward(p.baseAddress!, input.baseAddress! + n * 784, mode: .inference)
                        (out.baseAddress! + n * Layout.classes).update(from: workspace.logits, count: Layout.classes)
                    }
                }
            }
        }
        return output
    }

    /// The most probable class of cell `n` in a batch of probabilities (or logits), and its value.
    public static func top(_ scores: [Float], cell n: Int) -> (class: DigitClass, value: Float) {
        let start = n * Layout.classes
        var best = start
        for i in start ..< start + Layout.classes where scores[i] > scores[best] { best = i }
        return (DigitClass(rawValue: best - start)!, scores[best])
    }

    /// Class probabilities of one cell image.
    public func classify(_ cell: CellImage) -> [Float] {
        probabilities(cell.pixels.map { Float($0) / 255 }, count: 1)
    }
}

/// The activations of one forward pass, kept for the backward pass.
package struct Workspace {
    package typealias L = DigitNetwork.Layout
    package init() {}

    package var input = UnsafeMutablePointer<Float>.allocate(capacity: 784)
    package var conv1 = UnsafeMutablePointer<Float>.allocate(capacity: L.conv1 * 784)
    package var pool1 = UnsafeMutablePointer<Float>.allocate(capacity: L.conv1 * 196)
    package var pool1Index = UnsafeMutablePointer<Int32>.allocate(capacity: L.conv1 * 196)
    package var conv2 = UnsafeMutablePointer<Float>.allocate(capacity: L.conv2 * 196)
    package var pool2 = UnsafeMutablePointer<Float>.allocate(capacity: L.pooled2)
    package var pool2Index = UnsafeMutablePointer<Int32>.allocate(capacity: L.pooled2)
    package var hidden = UnsafeMutablePointer<Float>.allocate(capacity: L.hidden)
    package var logits = UnsafeMutablePointer<Float>.allocate(capacity: L.classes)
    package var scratch = UnsafeMutablePointer<Float>.allocate(capacity: Kernels.paddedCount(channels: L.conv1, height: 28, width: 28))
    // Gradients of the activations.
    package var dConv1 = UnsafeMutablePointer<Float>.allocate(capacity: L.conv1 * 784)
    package var dPool1 = UnsafeMutablePointer<Float>.allocate(capacity: L.conv1 * 196)
    package var dConv2 = UnsafeMutablePointer<Float>.allocate(capacity: L.conv2 * 196)
    package var dPool2 = UnsafeMutablePointer<Float>.allocate(capacity: L.pooled2)
    package var dHidden = UnsafeMutablePointer<Float>.allocate(capacity: L.hidden)
    package var dLogits = UnsafeMutablePointer<Float>.allocate(capacity: L.classes)
    /// The dropout factors of the last forward pass (0 or 1 / (1 − rate)), when it had dropout.
    package var dropMask = UnsafeMutablePointer<Float>.allocate(capacity: L.pooled2)
    package var dropped = false

    /// Frees the buffers (a workspace is used by one caller at a time and freed by it).
    package func deallocate() {
        for buffer in [input, conv1, pool1, conv2, pool2, hidden, logits, scratch, dConv1, dPool1, dConv2, dPool2,
                       dHidden, dLogits, dropMask] { buffer.deallocate() }
        pool1Index.deallocate()
        pool2Index.deallocate()
    }

    /// How a forward pass runs.
    package enum Mode {
        /// Scalar reference kernels, every activation and pooling index kept: gradient checks.
        case reference
        /// SIMD kernels, every activation and pooling index kept: training.
        case training
        /// SIMD kernels, ReLU fused into pooling, nothing kept that only training needs.
        case inference
    }

    /// Dropout on the pooled features entering dense1, for training: each is zeroed with
    /// probability `rate` and the others scaled by 1 / (1 − rate), so inference is unchanged.
    /// The features to drop are drawn from `seed`.
    package struct Dropout {
        package var rate: Float
        package var seed: UInt64

        package init(rate: Float, seed: UInt64) {
            self.rate = rate
            self.seed = seed
        }
    }

    /// - cell (1, 28, 28) → logits (12)
    package mutating func forward(_ p: UnsafePointer<Float>, _ cell: UnsafePointer<Float>, mode: Mode, dropout: Dropout? = nil) {
        input.update(from: cell, count: 784)
        conv(input, channels: 1, side: 28, weight: p + L.conv1Weight, bias: p + L.conv1Bias, outputs: L.conv1, into: conv1,
             reference: mode == .reference)
        if mode == .inference {
            Kernels.reluMaxPool2(conv1, channels: L.conv1, height: 28, width: 28, into: pool1)
        } else {
            Kernels.relu(conv1, count: L.conv1 * 784)
            Kernels.maxPool2(conv1, channels: L.conv1, height: 28, width: 28, into: pool1, argmax: pool1Index)
        }
        conv(pool1, channels: L.conv1, side: 14, weight: p + L.conv2Weight, bias: p + L.conv2Bias, outputs: L.conv2,
             into: conv2, reference: mode == .reference)
        if mode == .inference {
            Kernels.reluMaxPool2(conv2, channels: L.conv2, height: 14, width: 14, into: pool2)
        } else {
            Kernels.relu(conv2, count: L.conv2 * 196)
            Kernels.maxPool2(conv2, channels: L.conv2, height: 14, width: 14, into: pool2, argmax: pool2Index)
        }
        dropped = false
        if let dropout, dropout.rate > 0 {
            precondition(mode != .inference, "dropout is for training")
            var g = SeededGenerator(seed: dropout.seed)
            let keep = 1 / (1 - dropout.rate)
            for i in 0 ..< L.pooled2 {
                dropMask[i] = Float(g.uniform(0 ... 1)) < dropout.rate ? 0 : keep
                pool2[i] *= dropMask[i]
            }
            dropped = true
        }
        dense(pool2, inputs: L.pooled2, weight: p + L.dense1Weight, bias: p + L.dense1Bias, outputs: L.hidden, into: hidden,
              reference: mode == .reference)
        Kernels.relu(hidden, count: L.hidden)
        dense(hidden, inputs: L.hidden, weight: p + L.dense2Weight, bias: p + L.dense2Bias, outputs: L.classes, into: logits,
              reference: mode == .reference)
    }

    private func conv(_ x: UnsafePointer<Float>, channels: Int, side: Int, weight: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>, outputs: Int, into y: UnsafeMutablePointer<Float>, reference: Bool) {
        if reference {
            Kernels.conv3x3Reference(x, channels: channels, height: side, width: side, weight: weight, bias: bias,
                                     outputs: outputs, into: y)
        } else {
            Kernels.conv3x3(x, channels: channels, height: side, width: side, weight: weight, bias: bias, outputs: outputs,
                            into: y, scratch: scratch)
        }
    }

    private func dense(_ x: UnsafePointer<Float>, inputs: Int, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                       outputs: Int, into y: UnsafeMutablePointer<Float>, reference: Bool) {
        if reference {
            Kernels.denseReference(x, inputs: inputs, weight: weight, bias: bias, outputs: outputs, into: y)
        } else {
            Kernels.dense(x, inputs: inputs, weight: weight, bias: bias, outputs: outputs, into: y)
        }
    }

}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

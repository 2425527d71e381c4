import FormVision

// Training's half of the digit network: initial weights, and the backward pass through the
// workspace that inference's forward pass fills (`Workspace.forward(_:_:mode: .training)`).
// The reading library keeps only the forward pass.

extension DigitNetwork {
    /// He-initialised weights and zero biases, from a seed.
    public static func random(seed: UInt64) -> DigitNetwork {
        var g = SeededGenerator(seed: seed)
        var p = [Float](repeating: 0, count: Layout.parameterCount)
        func fill(_ offset: Int, _ count: Int, fanIn: Int) {
            let deviation = (2 / Double(fanIn)).squareRoot()
            for i in 0 ..< count { p[offset + i] = Float(g.normal(deviation: deviation)) }
        }
        fill(Layout.conv1Weight, Layout.conv1 * 9, fanIn: 9)
        fill(Layout.conv2Weight, Layout.conv2 * Layout.conv1 * 9, fanIn: Layout.conv1 * 9)
        fill(Layout.dense1Weight, Layout.hidden * Layout.pooled2, fanIn: Layout.pooled2)
        fill(Layout.dense2Weight, Layout.classes * Layout.hidden, fanIn: Layout.hidden)
        return DigitNetwork(parameters: p)
    }
}

extension Workspace {
    /// Cross-entropy loss of the last forward pass against `label`, and its gradients added to
    /// `gradients` (same layout as the parameters).
    /// - Returns: the loss, −log p(label).
    mutating func backward(_ p: UnsafePointer<Float>, label: Int, gradients g: UnsafeMutablePointer<Float>) -> Float {
        Kernels.softmax(logits, count: L.classes, into: dLogits)
        let loss = -logf(max(dLogits[label], 1e-12))
        dLogits[label] -= 1 // d(loss)/d(logits) = p − onehot
        dHidden.initialize(repeating: 0, count: L.hidden)
        Kernels.denseBackward(hidden, inputs: L.hidden, weight: p + L.dense2Weight, outputs: L.classes, dOutput: dLogits,
                              dWeight: g + L.dense2Weight, dBias: g + L.dense2Bias, dInput: dHidden)
        Kernels.reluBackward(hidden, gradient: dHidden, count: L.hidden)
        dPool2.initialize(repeating: 0, count: L.pooled2)
        Kernels.denseBackward(pool2, inputs: L.pooled2, weight: p + L.dense1Weight, outputs: L.hidden, dOutput: dHidden,
                              dWeight: g + L.dense1Weight, dBias: g + L.dense1Bias, dInput: dPool2)
        if dropped { for i in 0 ..< L.pooled2 { dPool2[i] *= dropMask[i] } }
        dConv2.initialize(repeating: 0, count: L.conv2 * 196)
        Kernels.maxPool2Backward(dPool2, argmax: pool2Index, count: L.pooled2, dInput: dConv2)
        Kernels.reluBackward(conv2, gradient: dConv2, count: L.conv2 * 196)
        dPool1.initialize(repeating: 0, count: L.conv1 * 196)
        Kernels.conv3x3Backward(pool1, channels: L.conv1, height: 14, width: 14, weight: p + L.conv2Weight,
                                outputs: L.conv2, dOutput: dConv2, dWeight: g + L.conv2Weight, dBias: g + L.conv2Bias,
                                dInput: dPool1)
        dConv1.initialize(repeating: 0, count: L.conv1 * 784)
        Kernels.maxPool2Backward(dPool1, argmax: pool1Index, count: L.conv1 * 196, dInput: dConv1)
        Kernels.reluBackward(conv1, gradient: dConv1, count: L.conv1 * 784)
        Kernels.conv3x3Backward(input, channels: 1, height: 28, width: 28, weight: p + L.conv1Weight, outputs: L.conv1,
                                dOutput: dConv1, dWeight: g + L.conv1Weight, dBias: g + L.conv1Bias, dInput: nil)
        return loss
    }
}

/// The gradients of the kernels, straightforward loops (they run only in training).
extension Kernels {
    /// Gradients of the convolution. `dInput` may be nil (the first layer needs none).
    /// - input (C, H, W), dOutput (O, H, W) → dWeight (O, C, 3, 3) += , dBias (O) +=, dInput (C, H, W) +=
    static func conv3x3Backward(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
                                weight: UnsafePointer<Float>, outputs o: Int, dOutput: UnsafePointer<Float>,
                                dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>,
                                dInput: UnsafeMutablePointer<Float>?) {
        for oc in 0 ..< o {
            for y in 0 ..< h {
                for x in 0 ..< w {
                    let g = dOutput[(oc * h + y) * w + x]
                    if g == 0 { continue }
                    dBias[oc] += g
                    for ic in 0 ..< c {
                        for ky in 0 ..< 3 {
                            let sy = y + ky - 1
                            guard sy >= 0, sy < h else { continue }
                            for kx in 0 ..< 3 {
                                let sx = x + kx - 1
                                guard sx >= 0, sx < w else { continue }
                                let wi = ((oc * c + ic) * 3 + ky) * 3 + kx
                                let ii = (ic * h + sy) * w + sx
                                dWeight[wi] += g * input[ii]
                                dInput?[ii] += g * weight[wi]
                            }
                        }
                    }
                }
            }
        }
    }

    /// dInput = dOutput where the output was positive. - output (N), gradient (N) in place
    static func reluBackward(_ output: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0 ..< n where output[i] <= 0 { gradient[i] = 0 }
    }

    /// Routes each output gradient to its maximum. - dOutput (C, H/2, W/2) → dInput (C, H, W) +=
    static func maxPool2Backward(_ dOutput: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, count n: Int,
                                 dInput: UnsafeMutablePointer<Float>) {
        for i in 0 ..< n { dInput[Int(argmax[i])] += dOutput[i] }
    }

    /// - input (N), weight (M, N), dOutput (M) → dWeight (M, N) +=, dBias (M) +=, dInput (N) +=
    static func denseBackward(_ input: UnsafePointer<Float>, inputs n: Int, weight: UnsafePointer<Float>, outputs m: Int,
                              dOutput: UnsafePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
                              dBias: UnsafeMutablePointer<Float>, dInput: UnsafeMutablePointer<Float>?) {
        for j in 0 ..< m {
            let g = dOutput[j]
            if g == 0 { continue }
            dBias[j] += g
            for i in 0 ..< n {
                dWeight[j * n + i] += g * input[i]
                dInput?[i] += g * weight[j * n + i]
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

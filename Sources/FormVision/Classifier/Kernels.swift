/// The digit network's layers as small forward/backward functions on flat Float buffers.
///
/// Layout: activations are channel-major planes, `(C, H, W)` meaning C planes of H rows of W
/// values. Every fast (SIMD) kernel has a plain reference twin beside it, and tests compare them.
/// Backward passes are used only for training and stay scalar.
enum Kernels {
    // MARK: 3×3 convolution, stride 1, zero padding 1

    /// Reference convolution.
    /// - input (C, H, W), weight (O, C, 3, 3), bias (O) → output (O, H, W)
    static func conv3x3Reference(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
                                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, outputs o: Int,
                                 into output: UnsafeMutablePointer<Float>) {
        for oc in 0 ..< o {
            for y in 0 ..< h {
                for x in 0 ..< w {
                    var sum = bias[oc]
                    for ic in 0 ..< c {
                        for ky in 0 ..< 3 {
                            let sy = y + ky - 1
                            guard sy >= 0, sy < h else { continue }
                            for kx in 0 ..< 3 {
                                let sx = x + kx - 1
                                guard sx >= 0, sx < w else { continue }
                                sum += input[(ic * h + sy) * w + sx] * weight[((oc * c + ic) * 3 + ky) * 3 + kx]
                            }
                        }
                    }
                    output[(oc * h + y) * w + x] = sum
                }
            }
        }
    }

    /// Fast convolution: the input is copied once into zero-padded planes whose rows are a
    /// multiple of 8 wide, then each output row is accumulated 8 columns at a time with fused
    /// multiply-adds. `scratch` needs `paddedCount(channels:height:width:)` floats.
    static func conv3x3(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
                        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, outputs o: Int,
                        into output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let stride = paddedStride(width: w)
        let rows = h + 2
        scratch.initialize(repeating: 0, count: c * rows * stride)
        for ic in 0 ..< c {
            for y in 0 ..< h {
                (scratch + (ic * rows + y + 1) * stride + 1).update(from: input + (ic * h + y) * w, count: w)
            }
        }
        let chunks = (w + 7) / 8
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: chunks) { row in
            for oc in 0 ..< o {
                for y in 0 ..< h {
                    for k in 0 ..< chunks { row[k] = SIMD8(repeating: bias[oc]) }
                    for ic in 0 ..< c {
                        let taps = weight + (oc * c + ic) * 9
                        for ky in 0 ..< 3 {
                            let source = UnsafeRawPointer(scratch + (ic * rows + y + ky) * stride)
                            for kx in 0 ..< 3 {
                                let tap = SIMD8<Float>(repeating: taps[ky * 3 + kx])
                                for k in 0 ..< chunks {
                                    let v = source.loadUnaligned(fromByteOffset: (k * 8 + kx) * 4, as: SIMD8<Float>.self)
                                    row[k].addProduct(tap, v)
                                }
                            }
                        }
                    }
                    let destination = output + (oc * h + y) * w
                    UnsafeMutableRawPointer(row.baseAddress!).withMemoryRebound(to: Float.self, capacity: chunks * 8) { lanes in
                        destination.update(from: lanes, count: w)
                    }
                }
            }
        }
    }

    /// Row stride of the padded planes: the width plus two columns of padding plus room for the
    /// last 8-wide load, rounded to 8.
    static func paddedStride(width w: Int) -> Int { ((w + 2 + 7) / 8 + 1) * 8 }

    static func paddedCount(channels c: Int, height h: Int, width w: Int) -> Int { c * (h + 2) * paddedStride(width: w) }

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

    // MARK: ReLU

    /// x → max(0, x), in place. - values (N)
    static func relu(_ values: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0 ..< n where values[i] < 0 { values[i] = 0 }
    }

    /// dInput = dOutput where the output was positive. - output (N), gradient (N) in place
    static func reluBackward(_ output: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0 ..< n where output[i] <= 0 { gradient[i] = 0 }
    }

    // MARK: 2×2 max pooling, stride 2

    /// - input (C, H, W) → output (C, H/2, W/2), and the index of each maximum in the input
    static func maxPool2(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
                         into output: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        let (oh, ow) = (h / 2, w / 2)
        for ch in 0 ..< c {
            for y in 0 ..< oh {
                let top = (ch * h + 2 * y) * w, bottom = top + w
                for x in 0 ..< ow {
                    // The first maximum in reading order wins ties.
                    var best = top + 2 * x
                    if input[top + 2 * x + 1] > input[best] { best = top + 2 * x + 1 }
                    if input[bottom + 2 * x] > input[best] { best = bottom + 2 * x }
                    if input[bottom + 2 * x + 1] > input[best] { best = bottom + 2 * x + 1 }
                    output[(ch * oh + y) * ow + x] = input[best]
                    argmax[(ch * oh + y) * ow + x] = Int32(best)
                }
            }
        }
    }

    /// Routes each output gradient to its maximum. - dOutput (C, H/2, W/2) → dInput (C, H, W) +=
    static func maxPool2Backward(_ dOutput: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, count n: Int,
                                 dInput: UnsafeMutablePointer<Float>) {
        for i in 0 ..< n { dInput[Int(argmax[i])] += dOutput[i] }
    }

    // MARK: Dense

    /// Reference dense layer. - input (N), weight (M, N), bias (M) → output (M)
    static func denseReference(_ input: UnsafePointer<Float>, inputs n: Int, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>, outputs m: Int, into output: UnsafeMutablePointer<Float>) {
        for j in 0 ..< m {
            var sum = bias[j]
            for i in 0 ..< n { sum += weight[j * n + i] * input[i] }
            output[j] = sum
        }
    }

    /// Fast dense layer: dot products 8 lanes at a time with fused multiply-adds.
    static func dense(_ input: UnsafePointer<Float>, inputs n: Int, weight: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>, outputs m: Int, into output: UnsafeMutablePointer<Float>) {
        let whole = n / 8 * 8
        let x = UnsafeRawPointer(input)
        for j in 0 ..< m {
            let row = UnsafeRawPointer(weight + j * n)
            var acc = SIMD8<Float>.zero
            var i = 0
            while i < whole {
                acc.addProduct(row.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self),
                               x.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
                i += 8
            }
            var sum = acc.sum() + bias[j]
            while i < n {
                sum += weight[j * n + i] * input[i]
                i += 1
            }
            output[j] = sum
        }
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

    // MARK: Softmax and cross-entropy

    /// Softmax with temperature T: p_i = exp(z_i / T) / Σ exp(z_j / T), computed stably.
    static func softmax(_ logits: UnsafePointer<Float>, count n: Int, temperature: Float = 1,
                        into probabilities: UnsafeMutablePointer<Float>) {
        var largest = -Float.infinity
        for i in 0 ..< n { largest = max(largest, logits[i]) }
        var total: Float = 0
        for i in 0 ..< n {
            probabilities[i] = expf((logits[i] - largest) / temperature)
            total += probabilities[i]
        }
        for i in 0 ..< n { probabilities[i] /= total }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

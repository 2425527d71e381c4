/// The digit network's layers as small forward/backward functions on flat Float buffers.
///
/// Layout: activations are channel-major planes, `(C, H, W)` meaning C planes of H rows of W
/// values. Every fast (SIMD) kernel has a plain reference twin beside it, and tests compare them.
/// Backward passes are used only for training and stay scalar.
package enum Kernels {
    /// `accumulator += a × b`, lane by lane, as a multiply then an add.
    ///
    /// Not `SIMD.addProduct`: that is a fused multiply-add, and on a target without FMA
    /// instructions (the default x86-64 baseline) each lane becomes a call into libm, about 60×
    /// slower. A multiply and an add vectorise on every target.
    @inline(__always)
    package static func multiplyAdd(_ accumulator: inout SIMD8<Float>, _ a: SIMD8<Float>, _ b: SIMD8<Float>) {
        accumulator += a * b
    }

    // MARK: 3×3 convolution, stride 1, zero padding 1

    /// Reference convolution.
    /// - input (C, H, W), weight (O, C, 3, 3), bias (O) → output (O, H, W)
    package static func conv3x3Reference(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
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
    /// multiple of 8 wide, then each output row is accumulated 8 columns at a time. `scratch` needs `paddedCount(channels:height:width:)` floats.
    package static func conv3x3(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
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
        if chunks == 4 {
            conv3x3FourChunks(channels: c, height: h, width: w, weight: weight, bias: bias, outputs: o, into: output,
                              padded: scratch, rowStride: stride)
            return
        }
        if chunks == 2, o % 2 == 0 {
            conv3x3TwoChunks(channels: c, height: h, width: w, weight: weight, bias: bias, outputs: o, into: output,
                             padded: scratch, rowStride: stride)
            return
        }
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
                                    multiplyAdd(&row[k], tap, v)
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

    /// The convolution for rows of 9 to 16 values (two 8-wide chunks), two output channels at a
    /// time: each input vector is loaded once and used for both channels, and the four
    /// accumulators stay in registers even where a `SIMD8` is two SSE registers.
    private static func conv3x3TwoChunks(channels c: Int, height h: Int, width w: Int, weight: UnsafePointer<Float>,
                                         bias: UnsafePointer<Float>, outputs o: Int, into output: UnsafeMutablePointer<Float>,
                                         padded: UnsafePointer<Float>, rowStride: Int) {
        let rows = h + 2
        for oc in stride(from: 0, to: o, by: 2) {
            for y in 0 ..< h {
                var a0 = SIMD8<Float>(repeating: bias[oc]), b0 = a0
                var a1 = SIMD8<Float>(repeating: bias[oc + 1]), b1 = a1
                for ic in 0 ..< c {
                    let t0 = weight + (oc * c + ic) * 9, t1 = t0 + c * 9
                    for ky in 0 ..< 3 {
                        let source = UnsafeRawPointer(padded + (ic * rows + y + ky) * rowStride)
                        for kx in 0 ..< 3 {
                            let low = source.loadUnaligned(fromByteOffset: kx * 4, as: SIMD8<Float>.self)
                            let high = source.loadUnaligned(fromByteOffset: (8 + kx) * 4, as: SIMD8<Float>.self)
                            let k = ky * 3 + kx
                            let w0 = SIMD8<Float>(repeating: t0[k]), w1 = SIMD8<Float>(repeating: t1[k])
                            multiplyAdd(&a0, w0, low); multiplyAdd(&b0, w0, high)
                            multiplyAdd(&a1, w1, low); multiplyAdd(&b1, w1, high)
                        }
                    }
                }
                let plane = h * w, row = output + (oc * h + y) * w
                store(a0, b0, row, width: w)
                store(a1, b1, row + plane, width: w)
            }
        }
    }

    /// The convolution for rows of 25 to 32 values (four chunks), one output channel at a time,
    /// four accumulators in registers.
    private static func conv3x3FourChunks(channels c: Int, height h: Int, width w: Int, weight: UnsafePointer<Float>,
                                          bias: UnsafePointer<Float>, outputs o: Int, into output: UnsafeMutablePointer<Float>,
                                          padded: UnsafePointer<Float>, rowStride: Int) {
        let rows = h + 2
        for oc in 0 ..< o {
            for y in 0 ..< h {
                var a0 = SIMD8<Float>(repeating: bias[oc]), a1 = a0, a2 = a0, a3 = a0
                for ic in 0 ..< c {
                    let ta = weight + (oc * c + ic) * 9
                    for ky in 0 ..< 3 {
                        let source = UnsafeRawPointer(padded + (ic * rows + y + ky) * rowStride)
                        for kx in 0 ..< 3 {
                            let wa = SIMD8<Float>(repeating: ta[ky * 3 + kx])
                            multiplyAdd(&a0, wa, source.loadUnaligned(fromByteOffset: kx * 4, as: SIMD8<Float>.self))
                            multiplyAdd(&a1, wa, source.loadUnaligned(fromByteOffset: (8 + kx) * 4, as: SIMD8<Float>.self))
                            multiplyAdd(&a2, wa, source.loadUnaligned(fromByteOffset: (16 + kx) * 4, as: SIMD8<Float>.self))
                            multiplyAdd(&a3, wa, source.loadUnaligned(fromByteOffset: (24 + kx) * 4, as: SIMD8<Float>.self))
                        }
                    }
                }
                storeFour(a0, a1, a2, a3, output + (oc * h + y) * w, width: w)
            }
        }
    }

    /// Writes a row of 25 to 32 values held in four vectors.
    @inline(__always)
    private static func storeFour(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ v3: SIMD8<Float>,
                                  _ destination: UnsafeMutablePointer<Float>, width w: Int) {
        let raw = UnsafeMutableRawPointer(destination)
        raw.storeBytes(of: v0, as: SIMD8<Float>.self)
        raw.storeBytes(of: v1, toByteOffset: 32, as: SIMD8<Float>.self)
        raw.storeBytes(of: v2, toByteOffset: 64, as: SIMD8<Float>.self)
        for x in 24 ..< w { destination[x] = v3[x - 24] }
    }

    /// Writes a row of 9 to 16 values held in two vectors.
    @inline(__always)
    private static func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ destination: UnsafeMutablePointer<Float>, width w: Int) {
        UnsafeMutableRawPointer(destination).storeBytes(of: low, as: SIMD8<Float>.self)
        for x in 8 ..< w { destination[x] = high[x - 8] }
    }

    /// Row stride of the padded planes: the width plus two columns of padding plus room for the
    /// last 8-wide load, rounded to 8.
    package static func paddedStride(width w: Int) -> Int { ((w + 2 + 7) / 8 + 1) * 8 }

    package static func paddedCount(channels c: Int, height h: Int, width w: Int) -> Int { c * (h + 2) * paddedStride(width: w) }

    // MARK: ReLU

    /// x → max(0, x), in place, without branches. - values (N)
    package static func relu(_ values: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0 ..< n { values[i] = max(values[i], 0) }
    }

    // MARK: 2×2 max pooling, stride 2

    /// - input (C, H, W) → output (C, H/2, W/2), and the index of each maximum in the input
    package static func maxPool2(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
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

    /// Inference twin of `relu` then `maxPool2`: max(0, max of each 2×2 block), branch-free and
    /// without the indices only training needs (ReLU and max commute).
    /// - input (C, H, W) → output (C, H/2, W/2)
    package static func reluMaxPool2(_ input: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
                             into output: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (h / 2, w / 2)
        for ch in 0 ..< c {
            for y in 0 ..< oh {
                let top = input + (ch * h + 2 * y) * w, bottom = top + w
                let out = output + (ch * oh + y) * ow
                for x in 0 ..< ow {
                    out[x] = max(max(max(top[2 * x], top[2 * x + 1]), max(bottom[2 * x], bottom[2 * x + 1])), 0)
                }
            }
        }
    }

    // MARK: Dense

    /// Reference dense layer. - input (N), weight (M, N), bias (M) → output (M)
    package static func denseReference(_ input: UnsafePointer<Float>, inputs n: Int, weight: UnsafePointer<Float>,
                               bias: UnsafePointer<Float>, outputs m: Int, into output: UnsafeMutablePointer<Float>) {
        for j in 0 ..< m {
            var sum = bias[j]
            for i in 0 ..< n { sum += weight[j * n + i] * input[i] }
            output[j] = sum
        }
    }

    /// Fast dense layer: dot products 8 lanes at a time, four outputs at a time, so that four
    /// independent sums are in flight rather than one long chain of dependent adds. Each
    /// output adds its terms in the same order either way.
    package static func dense(_ input: UnsafePointer<Float>, inputs n: Int, weight: UnsafePointer<Float>,
                      bias: UnsafePointer<Float>, outputs m: Int, into output: UnsafeMutablePointer<Float>) {
        let whole = n / 8 * 8
        let x = UnsafeRawPointer(input)
        /// The lanes' total plus the bias, then the inputs past the last whole vector.
        func finish(_ acc: SIMD8<Float>, _ j: Int) -> Float {
            var sum = acc.sum() + bias[j]
            for i in whole ..< n { sum += weight[j * n + i] * input[i] }
            return sum
        }
        var j = 0
        while j + 4 <= m {
            let r0 = UnsafeRawPointer(weight + j * n), r1 = r0 + n * 4, r2 = r1 + n * 4, r3 = r2 + n * 4
            var a0 = SIMD8<Float>.zero, a1 = a0, a2 = a0, a3 = a0
            var i = 0
            while i < whole {
                let v = x.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                multiplyAdd(&a0, r0.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), v)
                multiplyAdd(&a1, r1.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), v)
                multiplyAdd(&a2, r2.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), v)
                multiplyAdd(&a3, r3.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self), v)
                i += 8
            }
            output[j] = finish(a0, j)
            output[j + 1] = finish(a1, j + 1)
            output[j + 2] = finish(a2, j + 2)
            output[j + 3] = finish(a3, j + 3)
            j += 4
        }
        while j < m {
            let row = UnsafeRawPointer(weight + j * n)
            var acc = SIMD8<Float>.zero
            var i = 0
            while i < whole {
                multiplyAdd(&acc, row.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self),
                            x.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
                i += 8
            }
            output[j] = finish(acc, j)
            j += 1
        }
    }

    // MARK: Softmax and cross-entropy

    /// Softmax with temperature T: p_i = exp(z_i / T) / Σ exp(z_j / T), computed stably.
    package static func softmax(_ logits: UnsafePointer<Float>, count n: Int, temperature: Float = 1,
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

extension Image {
    /// The image shrunk by a whole factor, each output pixel the mean of a factor × factor block.
    ///
    /// Output pixel (x, y) covers input columns `factor·x ..< factor·x + factor` and the same rows,
    /// clipped to the image, so the last row and column average the partial blocks there. This
    /// is the geometry of libjpeg's DCT-domain reduction, so reduced PNGs and JPEGs line up: a
    /// point at (u, v) in the reduced image is at about (factor·u, factor·v) in the full one.
    /// Rounds to nearest.
    ///
    /// - Complexity: O(width × height × channels), one pass over the input.
    public func boxReduced(by factor: Int) -> Image {
        precondition(factor >= 1, "the factor must be positive")
        if factor == 1 { return self }
        let outWidth = (width + factor - 1) / factor
        let outHeight = (height + factor - 1) / factor
        var output = Image(width: outWidth, height: outHeight, format: format)
        let rowLength = outWidth * channels
        var sums = [UInt32](repeating: 0, count: rowLength)
        let (inChannels, inStride, outStride) = (channels, rowStride, output.rowStride)
        storage.withUnsafeBufferPointer { input in
            output.storage.withUnsafeMutableBufferPointer { out in
                for outY in 0 ..< outHeight {
                    for i in 0 ..< rowLength { sums[i] = 0 }
                    let firstRow = outY * factor
                    let rows = min(factor, height - firstRow)
                    for y in firstRow ..< firstRow + rows {
                        let row = y * inStride
                        for x in 0 ..< width {
                            let target = (x / factor) * inChannels
                            for c in 0 ..< inChannels { sums[target + c] &+= UInt32(input[row + x * inChannels + c]) }
                        }
                    }
                    for outX in 0 ..< outWidth {
                        let columns = min(factor, width - outX * factor)
                        let count = UInt32(columns * rows)
                        for c in 0 ..< inChannels {
                            let sum = sums[outX * inChannels + c]
                            out[outY * outStride + outX * inChannels + c] = UInt8((sum + count / 2) / count)
                        }
                    }
                }
            }
        }
        return output
    }
}

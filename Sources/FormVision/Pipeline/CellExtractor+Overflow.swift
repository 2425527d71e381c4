/// The pipeline's cells follow a digit's strokes past its box's printed lines.
///
/// Officers often write over the line: a digit pushed a third of a box off centre leaves part
/// of its strokes outside the box, where a crop of the box's inside loses them. So a pipeline
/// cell is cut from the box grown by `overflowReach` on every side, and then:
/// 1. every printed line in that area (the template's rules and every box's sides, moved with
///    this box's alignment) is taken out, except where a stroke crosses it: where there is ink
///    just beyond the line on both sides, the line's pixels are bridged with the fainter side;
/// 2. the ink falls into connected pieces, and a piece stays only if this box holds more of it
///    than any other box does. A digit overflowing out of this box stays whole; a neighbour's
///    digit poking in is dropped whole (it is mostly in the neighbour's box), and so are printed
///    text and stray ink outside every box.
/// Inside the box's own interior, faint ink below the piece threshold stays as before.
extension CellExtractor {
    /// A printed line in canonical pixels: axis-aligned, expected at `centre` across it within
    /// `halfWidth`, running along `span`.
    struct PrintedLine {
        var horizontal: Bool
        var centre: Double
        var span: ClosedRange<Double>
        var halfWidth: Double
    }

    /// The printed lines near a box in canonical pixels: the template's rules (moved by the
    /// box's alignment shift) and the sides of every located box.
    static func printedLines(near area: Rect, page: RectifiedPage, shift: Point, boxes: [Rect], blur: Double) -> [PrintedLine] {
        let ppm = page.pixelsPerMM
        var lines: [PrintedLine] = []
        for line in page.template.printing.lines {
            let a = line.from * ppm + shift, b = line.to * ppm + shift
            let half = line.width * ppm / 2 + blur
            if abs(a.y - b.y) < 0.5 {
                lines.append(PrintedLine(horizontal: true, centre: (a.y + b.y) / 2, span: min(a.x, b.x) ... max(a.x, b.x), halfWidth: half))
            } else if abs(a.x - b.x) < 0.5 {
                lines.append(PrintedLine(horizontal: false, centre: (a.x + b.x) / 2, span: min(a.y, b.y) ... max(a.y, b.y), halfWidth: half))
            }
        }
        let boxLine = page.template.printing.boxLineWidth * ppm
        for box in boxes {
            let half = boxLine / 2 + blur
            let xs = (box.minX - boxLine) ... (box.maxX + boxLine), ys = (box.minY - boxLine) ... (box.maxY + boxLine)
            lines.append(PrintedLine(horizontal: true, centre: box.minY - boxLine / 2, span: xs, halfWidth: half))
            lines.append(PrintedLine(horizontal: true, centre: box.maxY + boxLine / 2, span: xs, halfWidth: half))
            lines.append(PrintedLine(horizontal: false, centre: box.minX - boxLine / 2, span: ys, halfWidth: half))
            lines.append(PrintedLine(horizontal: false, centre: box.maxX + boxLine / 2, span: ys, halfWidth: half))
        }
        let grown = area.insetBy(-2 * blur)
        return lines.filter { line in
            line.horizontal
                ? line.centre + line.halfWidth >= grown.minY && line.centre - line.halfWidth <= grown.maxY
                    && line.span.upperBound >= grown.minX && line.span.lowerBound <= grown.maxX
                : line.centre + line.halfWidth >= grown.minX && line.centre - line.halfWidth <= grown.maxX
                    && line.span.upperBound >= grown.minY && line.span.lowerBound <= grown.maxY
        }
    }

    /// Takes printed lines out of a coverage map whose top-left pixel is canonical (x0, y0),
    /// bridging them where a stroke crosses (ink on both sides, `threshold` or more).
    static func removeLines(_ lines: [PrintedLine], from coverage: inout [Float], x0: Int, y0: Int, width w: Int, height h: Int,
                            threshold: Float, lineShare: Float) {
        for line in lines {
            let (acrossCount, alongCount) = line.horizontal ? (h, w) : (w, h)
            let offset = line.horizontal ? y0 : x0, alongOffset = line.horizontal ? x0 : y0
            let along0 = Int((line.span.lowerBound - 0.5).rounded(.up)) - alongOffset
            let along1 = Int((line.span.upperBound - 0.5).rounded(.down)) - alongOffset
            guard along1 >= 0, along0 < alongCount, along1 >= along0 else { continue }
            // Where the line really is: print, photo and alignment make it wider and put it a
            // pixel or two off. At each offset across it, the share of the pixels along it that
            // are ink is near 1 on the printed line, which is unbroken, and lower beside it, where
            // only strokes are (even a stroke that runs beside the line covers part of it). The
            // band is the run of offsets around the best one, within `halfWidth` of where the
            // line should be, where that share is at least `lineShare`.
            let guess = Int((line.centre - 0.5).rounded()) - offset, reach = Int(line.halfWidth.rounded(.up))
            let (t0, t1) = (max(0, along0), min(alongCount - 1, along1))
            func share(_ a: Int) -> Float {
                guard a >= 0, a < acrossCount else { return 0 }
                var inked = 0
                for t in t0 ... t1 where coverage[line.horizontal ? a * w + t : t * w + a] >= threshold { inked += 1 }
                return Float(inked) / Float(t1 - t0 + 1)
            }
            var peak = (across: guess, share: share(guess))
            for a in guess - reach ... guess + reach {
                let value = share(a)
                if value > peak.share { peak = (a, value) }
            }
            // No unbroken line here (hidden, or faint): the rest of the cleanup deals with it.
            guard peak.share >= lineShare else { continue }
            var (first, last) = (peak.across, peak.across)
            while first > peak.across - 2 * reach, share(first - 1) >= lineShare { first -= 1 }
            while last < peak.across + 2 * reach, share(last + 1) >= lineShare { last += 1 }
            // One more pixel each side: the line's soft edge. (`share` is 0 off the map, so the
            // run lies on it and the band overhangs it by a pixel at most.)
            let band = max(0, first - 1) ... min(acrossCount - 1, last + 1)
            for t in t0 ... t1 {
                func index(_ across: Int) -> Int { line.horizontal ? across * w + t : t * w + across }
                // Ink just beyond each side of the band (the stronger of two pixels there).
                func beyond(_ start: Int, _ step: Int) -> Float? {
                    var best: Float?
                    for d in 0 ..< 2 {
                        let a = start + step * d
                        guard a >= 0, a < acrossCount else { continue }
                        best = max(best ?? 0, coverage[index(a)])
                    }
                    return best
                }
                let before = beyond(band.lowerBound - 1, -1), after = beyond(band.upperBound + 1, 1)
                var fill: Float = 0
                if let before, let after, before >= threshold, after >= threshold { fill = min(before, after) }
                for a in band { coverage[index(a)] = fill }
            }
        }
    }

    /// Keeps the pieces of ink that this box (`own`, in the map's coordinates) holds more of
    /// than any of `others` does; inside `interior`, faint ink that belongs to no piece stays too.
    static func keepOwnInk(_ coverage: inout [Float], width w: Int, height h: Int, own: Rect, others: [Rect],
                           interior: Rect, threshold: Float) {
        let components = InkComponents(coverage, width: w, height: h, threshold: threshold)
        func inside(_ r: Rect, _ x: Int, _ y: Int) -> Bool {
            let (cx, cy) = (Double(x) + 0.5, Double(y) + 0.5)
            return cx >= r.minX && cx < r.maxX && cy >= r.minY && cy < r.maxY
        }
        var keep = [Bool](repeating: false, count: w * h)
        var dropped = [Bool](repeating: false, count: w * h)
        for pixels in components.pixels {
            var mine: Float = 0
            var theirs = [Float](repeating: 0, count: others.count)
            for i in pixels {
                let (x, y) = (i % w, i / w)
                if inside(own, x, y) { mine += coverage[i] }
                for (k, other) in others.enumerated() where inside(other, x, y) { theirs[k] += coverage[i] }
            }
            let owned = mine > 0 && mine >= (theirs.max() ?? 0)
            for i in pixels { if owned { keep[i] = true } else { dropped[i] = true } }
        }
        // A kept piece brings the faint rim of its strokes; a dropped one takes its rim away.
        let keepRim = grown(keep, width: w, height: h, radius: 1)
        let dropRim = grown(dropped, width: w, height: h, radius: 1)
        for y in 0 ..< h {
            for x in 0 ..< w {
                let i = y * w + x
                if keep[i] || (keepRim[i] && coverage[i] < threshold) { continue }
                if inside(interior, x, y), !dropped[i], !(dropRim[i] && coverage[i] < threshold) { continue }
                coverage[i] = 0
            }
        }
    }
}

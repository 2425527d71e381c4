/// One box where it really is: after fine alignment against its printed lines.
public struct LocatedBox: Sendable, Equatable {
    /// The inside of the box, canonical pixels.
    public var rect: Rect
    /// How far alignment moved it from where the homography put it, canonical pixels.
    public var shift: Point
    /// Strength of the printed lines found, relative to the paper-to-ink contrast (0–1); low
    /// values mean the lines were hidden (ink, correction fluid, glare) and the box was placed
    /// from its neighbours.
    public var lineStrength: Double
    /// The ridge strength of each printed side where the box now is (top, right, bottom, left),
    /// as a fraction of the print contrast; empty before `BoxVerifier` has looked.
    public var sideStrengths: [Double] = []
    /// False when `BoxVerifier` did not find all four of the box's own sides where it is (its
    /// lines hidden, or the box somewhere else); whether the field is read depends on
    /// `LocatedField.located`.
    public var located = true
}

/// The boxes of one field.
public struct LocatedField: Sendable, Equatable {
    public var name: String
    public var boxes: [LocatedBox]

    /// False when `BoxVerifier` did not find the field's boxes on their printed lines: the
    /// field may lie somewhere else, and its ink must not be read as its value.
    public var located = true
}

/// Stage 4: moves every box onto its printed lines.
///
/// Folds and curl bend the page, so one homography leaves boxes a few pixels off. For each
/// field, the darkness of the rectified page is summed along rows (over columns inside its
/// boxes) and along columns (over rows inside its boxes); a ridge filter keeps thin lines and
/// drops broad ink. The template says where every printed line is (box outlines and table
/// rules), so the shift that best lines that whole pattern up with the ridges is the field's
/// shift: a pattern of many lines at known spacings has one clear match, where a single line
/// could be confused with a table rule or a pen stroke.
public struct BoxAligner: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// How far a field may have moved from the homography's estimate, mm. Covers curl and
        /// folds of the hard photos and small marker errors.
        public var searchRadius = 3.0
        /// Search step, canonical pixels (sub-pixel peaks are interpolated).
        public var step = 0.25
        /// Paper bends smoothly, so neighbouring fields move alike. Fields whose centres lie
        /// within this distance (mm) are neighbours; each field's shift is searched again within
        /// `neighbourRadius` (mm) of its neighbours' median shift, which overrules a match on a
        /// crease, a pen stroke or a blurred rule.
        public var neighbourhood = 60.0
        public var neighbourRadius = 1.0

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// A printed straight line, canonical pixels: horizontal (`position` is y) or vertical
    /// (`position` is x), spanning `from` to `to` along its length.
    struct PrintedLine {
        var horizontal: Bool
        var position: Double
        var from: Double
        var to: Double
    }

    /// Every printed line of the page that runs along an axis: box outlines and rules.
    static func printedLines(_ template: FormTemplate, scale s: Double) -> [PrintedLine] {
        let w = template.printing.boxLineWidth * s
        var lines: [PrintedLine] = []
        for box in template.fields.flatMap(\.boxes).map({ $0.scaled(by: s) }) {
            lines.append(PrintedLine(horizontal: true, position: box.minY - w / 2, from: box.minX - w, to: box.maxX + w))
            lines.append(PrintedLine(horizontal: true, position: box.maxY + w / 2, from: box.minX - w, to: box.maxX + w))
            lines.append(PrintedLine(horizontal: false, position: box.minX - w / 2, from: box.minY - w, to: box.maxY + w))
            lines.append(PrintedLine(horizontal: false, position: box.maxX + w / 2, from: box.minY - w, to: box.maxY + w))
        }
        for rule in template.printing.lines {
            let (a, b) = (rule.from * s, rule.to * s)
            if abs(a.y - b.y) < 0.01 * abs(a.x - b.x) {
                lines.append(PrintedLine(horizontal: true, position: (a.y + b.y) / 2, from: min(a.x, b.x), to: max(a.x, b.x)))
            } else if abs(a.x - b.x) < 0.01 * abs(a.y - b.y) {
                lines.append(PrintedLine(horizontal: false, position: (a.x + b.x) / 2, from: min(a.y, b.y), to: max(a.y, b.y)))
            }
        }
        return lines
    }

    public func align(_ page: RectifiedPage) -> [LocatedField] {
        let s = page.pixelsPerMM
        let lineWidth = page.template.printing.boxLineWidth * s
        let lines = Self.printedLines(page.template, scale: s)
        let expected = page.template.fields.map { $0.boxes.map { $0.scaled(by: s) } }
        let windows = expected.map { FieldWindow($0, lines: lines, lineWidth: lineWidth, margin: parameters.searchRadius * s, gray: page.gray) }
        // Pass 1: each field on its own.
        let first = windows.map { $0.search(around: .zero, radius: parameters.searchRadius * s, step: parameters.step) }
        // Pass 2: each field near its neighbours' median shift.
        let centres = expected.map { boxes in boxes.reduce(Point.zero) { $0 + $1.center } / Double(boxes.count) }
        let reach = parameters.neighbourhood * s
        let located = windows.indices.map { i -> (Point, Double) in
            let neighbours = centres.indices.filter { $0 != i && centres[$0].distance(to: centres[i]) <= reach }
            guard !neighbours.isEmpty else { return first[i] }
            let median = Point(Self.median(neighbours.map { first[$0].0.x }), Self.median(neighbours.map { first[$0].0.y }))
            return windows[i].search(around: median, radius: parameters.neighbourRadius * s, step: parameters.step)
        }
        return page.template.fields.indices.map { i in
            let (shift, strength) = located[i]
            let boxes = expected[i].map { box in
                LocatedBox(rect: Rect(x: box.x + shift.x, y: box.y + shift.y, width: box.width, height: box.height),
                           shift: shift, lineStrength: strength)
            }
            return LocatedField(name: page.template.fields[i].name, boxes: boxes)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

}

/// The darkness around one field and the printed lines expected in it: where a field's shift is searched.
struct FieldWindow {
    let boxes: [Rect]
    /// The rectangle around all the field's boxes.
    let union: Rect
    let window: Darkness
    let area: Rect
    let lines: [BoxAligner.PrintedLine]
    let lineWidth: Double
    let insideColumns: [(Double, Double)]
    let rowProfile: Ridge?
    let horizontal: [Double]

    init(_ boxes: [Rect], lines: [BoxAligner.PrintedLine], lineWidth: Double, margin: Double, gray: Image) {
        self.boxes = boxes
        self.lines = lines
        self.lineWidth = lineWidth
        union = boxes.dropFirst().reduce(boxes[0]) { a, b in
            Rect(x: min(a.minX, b.minX), y: min(a.minY, b.minY), width: max(a.maxX, b.maxX) - min(a.minX, b.minX),
                 height: max(a.maxY, b.maxY) - min(a.minY, b.minY))
        }
        area = union.insetBy(-(margin + 3 * lineWidth))
        window = Darkness(gray, around: area)
        // Rows are measured over columns inside the boxes (away from their vertical lines).
        insideColumns = boxes.map { ($0.minX + 0.2 * $0.width, $0.maxX - 0.2 * $0.width) }
        let area = self.area, columns = insideColumns
        horizontal = lines.filter { line in
            line.horizontal && line.position > area.minY && line.position < area.maxY
                && columns.contains { line.from < $0.0 && line.to > $0.1 }
        }.map(\.position)
        rowProfile = window.isEmpty ? nil : Ridge(window.profile(alongRows: true, spans: insideColumns), width: lineWidth)
    }

    /// The best shift within ±radius of `centre` (rows first, then columns inside the shifted
    /// boxes), and the strength of the lines found (0–1 of a full-contrast line).
    func search(around centre: Point, radius: Double, step: Double) -> (Point, Double) {
        guard let rowProfile else { return (centre, 0) }
        let dy = rowProfile.bestShift(of: horizontal, around: centre.y, radius: radius, step: step)
        let insideRows = [(union.minY + 0.2 * union.height + dy.shift, union.maxY - 0.2 * union.height + dy.shift)]
        let columnProfile = Ridge(window.profile(alongRows: false, spans: insideRows), width: lineWidth)
        let area = self.area
        let vertical = lines.filter { line in
            !line.horizontal && line.position > area.minX && line.position < area.maxX
                && line.from < insideRows[0].0 && line.to > insideRows[0].1
        }.map(\.position)
        let dx = columnProfile.bestShift(of: vertical, around: centre.x, radius: radius, step: step)
        let contrast = max(1, window.contrast)
        let rowsSpan = insideRows.reduce(0) { $0 + ($1.1 - $1.0) }
        let columnsSpan = insideColumns.reduce(0) { $0 + ($1.1 - $1.0) }
        let strengthX = dx.strength / Double(max(1, vertical.count)) / (contrast * rowsSpan)
        let strengthY = dy.strength / Double(max(1, horizontal.count)) / (contrast * columnsSpan)
        return (Point(dx.shift, dy.shift), min(1, (strengthX + strengthY) / 2))
    }
}

/// Darkness (paper level minus gray, never negative) in a window of the rectified page.
struct Darkness {
    let origin: (x: Int, y: Int)
    let width: Int
    let height: Int
    let values: [Float]
    /// Paper level minus the darkest pixels' level: the window's ink contrast.
    let contrast: Double

    var isEmpty: Bool { width < 3 || height < 3 }

    init(_ gray: Image, around rect: Rect) {
        let x0 = max(0, Int(rect.minX)), y0 = max(0, Int(rect.minY))
        let x1 = min(gray.width, Int(rect.maxX.rounded(.up))), y1 = min(gray.height, Int(rect.maxY.rounded(.up)))
        origin = (x0, y0)
        width = max(0, x1 - x0)
        height = max(0, y1 - y0)
        var histogram = [Int](repeating: 0, count: 256)
        let (w, h, stride) = (width, height, gray.rowStride)
        // Rows of the window, read through the storage directly (a window is a few thousand
        // pixels per field, and every field of every photo takes two).
        gray.storage.withUnsafeBufferPointer { pixels in
            for y in 0 ..< h {
                let row = (y0 + y) * stride + x0
                for x in 0 ..< w { histogram[Int(pixels[row + x])] += 1 }
            }
        }
        let total = width * height
        func percentile(_ p: Double) -> Double {
            var seen = 0
            for (level, count) in histogram.enumerated() {
                seen += count
                if Double(seen) >= p * Double(total) { return Double(level) }
            }
            return 255
        }
        // Most of a window around boxes is paper; its upper percentiles are the paper level.
        let paper = total > 0 ? percentile(0.8) : 255
        contrast = paper - (total > 0 ? percentile(0.01) : 0)
        var values = [Float](repeating: 0, count: total)
        let level = Float(paper)
        gray.storage.withUnsafeBufferPointer { pixels in
            values.withUnsafeMutableBufferPointer { out in
                for y in 0 ..< h {
                    let row = (y0 + y) * stride + x0
                    for x in 0 ..< w { out[y * w + x] = max(0, level - Float(pixels[row + x])) }
                }
            }
        }
        self.values = values
    }

    /// Sums darkness across the window: for `alongRows`, one value per row (y), summed over the
    /// given column spans; otherwise one value per column (x), summed over the row spans.
    /// Spans are in canonical pixels; the profile is indexed from the window's origin.
    ///
    /// - Parameter within: Only the part of the profile between these canonical positions
    ///   (whole pixels covering them); the whole window's length when nil.
    func profile(alongRows: Bool, spans: [(Double, Double)], within: (Double, Double)? = nil) -> Profile {
        let full = alongRows ? height : width
        let start = alongRows ? origin.y : origin.x
        let first = within.map { max(0, Int($0.0.rounded(.down)) - start) } ?? 0
        let end = within.map { min(full, Int($0.1.rounded(.up)) - start) } ?? full
        let length = max(0, end - first)
        var sums = [Double](repeating: 0, count: length)
        for (from, to) in spans {
            let base = alongRows ? origin.x : origin.y
            let limit = alongRows ? width : height
            let a = max(0, Int(from) - base), b = min(limit, Int(to.rounded(.up)) - base)
            guard a < b else { continue }
            for i in 0 ..< length {
                var sum: Float = 0
                let k = first + i
                if alongRows {
                    for j in a ..< b { sum += values[k * width + j] }
                } else {
                    for j in a ..< b { sum += values[j * width + k] }
                }
                sums[i] += Double(sum)
            }
        }
        return Profile(values: sums, origin: Double(start + first))
    }
}

/// A 1-D profile indexed by canonical pixel, pixel i covering [origin + i, origin + i + 1).
struct Profile {
    var values: [Double]
    var origin: Double

    /// Linear interpolation at a canonical position (pixel centres at +0.5); 0 outside.
    func at(_ position: Double) -> Double {
        let t = position - origin - 0.5
        let i = Int(t.rounded(.down))
        let f = t - Double(i)
        func v(_ k: Int) -> Double { k >= 0 && k < values.count ? values[k] : 0 }
        return v(i) * (1 - f) + v(i + 1) * f
    }
}

/// A profile with broad features removed: each value minus the mean of its neighbours two
/// line-widths away, floored at zero. Thin dark lines stay; filled areas and gradients go.
struct Ridge {
    let profile: Profile
    /// The printed line's width, canonical pixels.
    let width: Double

    init(_ raw: Profile, width: Double) {
        self.width = width
        let k = max(2, Int((2 * width).rounded()))
        let v = raw.values
        var ridge = [Double](repeating: 0, count: v.count)
        for i in v.indices {
            let left = v[max(0, i - k)], right = v[min(v.count - 1, i + k)]
            ridge[i] = max(0, v[i] - (left + right) / 2)
        }
        profile = Profile(values: ridge, origin: raw.origin)
    }

    /// The shift within ±radius that maximises the ridge under lines of the printed width at
    /// the given positions, refined to sub-pixel by a parabola through the best step and its
    /// neighbours. Matching the whole width (not the centre alone) gives a single peak where a
    /// flat-topped line would leave a plateau.
    func bestShift(of lines: [Double], around centre: Double = 0, radius: Double, step: Double) -> (shift: Double, strength: Double) {
        let taps = [-0.5, -0.25, 0, 0.25, 0.5].map { $0 * width }
        func score(_ shift: Double) -> Double {
            lines.reduce(0) { sum, line in sum + taps.reduce(0) { $0 + profile.at(line + shift + $1) } / Double(taps.count) }
        }
        let steps = Int((radius / step).rounded())
        var best = (shift: centre, score: score(centre))
        for i in -steps ... steps {
            let shift = centre + Double(i) * step
            let value = score(shift)
            // Prefer the shift nearest the centre on ties, so a featureless profile changes nothing.
            if value > best.score + 1e-9 || (abs(value - best.score) <= 1e-9 && abs(shift - centre) < abs(best.shift - centre)) {
                best = (shift, value)
            }
        }
        let (a, b, c) = (score(best.shift - step), best.score, score(best.shift + step))
        let curvature = a - 2 * b + c
        let offset = curvature < 0 ? max(-0.5, min(0.5, 0.5 * (a - c) / curvature)) * step : 0
        return (best.shift + offset, best.score)
    }
}

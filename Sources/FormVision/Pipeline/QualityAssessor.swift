/// Why a photo should be taken again before anything is read from it.
public enum RetakeReason: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The boxes are too small in the photo to hold a legible digit (their height in pixels).
    case resolutionTooLow(boxHeight: Double)
    /// Part of the page with boxes on it lies outside the photo.
    case pageCutOff
    /// The printed lines are smeared: the photo is out of focus or moved (line sharpness 0–1).
    case blurred(sharpness: Double)
    /// The page is too dark (paper level 0–255).
    case underexposed(paperLevel: Double)
    /// Paper and print differ too little (levels).
    case lowContrast(contrast: Double)
    /// Saturated highlights hide printed lines (fraction of the line pixels lost).
    case glare(fraction: Double)
    /// Many boxes were not found on their printed lines on a flat page (`BoxVerifier`).
    case boxesNotFound(missing: Int, of: Int)
    /// The sheet is bent (its markers leave one plane) and many boxes were not found on their
    /// printed lines: flatten the sheet and take the photo again.
    case pageBent(missing: Int, of: Int)

    public var kind: String {
        switch self {
        case .resolutionTooLow: "resolution_too_low"
        case .pageCutOff: "page_cut_off"
        case .blurred: "blurred"
        case .underexposed: "underexposed"
        case .lowContrast: "low_contrast"
        case .glare: "glare"
        case .boxesNotFound: "boxes_not_found"
        case .pageBent: "page_bent"
        }
    }

    public var description: String {
        switch self {
        case .resolutionTooLow(let h): "boxes are only \(Int(h.rounded())) px tall; move closer or use a higher resolution"
        case .pageCutOff: "part of the form is outside the photo"
        case .blurred(let s): "the photo is blurred (line sharpness \(String(format: "%.2f", s)))"
        case .underexposed(let p): "the photo is too dark (paper level \(Int(p)))"
        case .lowContrast(let c): "print and paper are hard to tell apart (contrast \(Int(c)))"
        case .glare(let f): "glare hides \(Int((f * 100).rounded())) % of the printed lines"
        case .boxesNotFound(let missing, let total): "\(missing) of \(total) boxes were not found on their printed lines"
        case .pageBent(let missing, let total):
            "the sheet is bent and \(missing) of \(total) boxes were not found on their printed lines; flatten it and take the photo again"
        }
    }
}

/// Measurements of photo quality, and the reasons to retake it (empty when it is good).
public struct QualityReport: Sendable, Equatable {
    /// Mean box height in photo pixels.
    public var boxHeight: Double
    /// Paper level and print-to-paper contrast on the rectified page, 0–255.
    public var paperLevel: Double
    public var contrast: Double
    /// Sharpness of the printed box lines: their darkness relative to the contrast, 0–1.
    public var sharpness: Double
    /// Fraction of printed line pixels that are saturated.
    public var glare: Double
    public var reasons: [RetakeReason]

    public var needsRetake: Bool { !reasons.isEmpty }
}

/// Stage 5: decides whether the photo is good enough to read.
///
/// Every threshold is tied to what the reader needs, not to any corpus: a box must be tall
/// enough to hold a digit the classifier can see, the page's boxes must be in the frame, the
/// printed lines (0.35 mm, thinner than a pen stroke) must keep a fair part of their contrast,
/// and paper and print must differ clearly.
public struct QualityAssessor: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// Fewest photo pixels of box height. A digit fills about 70 % of the box; below about
        /// 12 px of digit height strokes merge, so 16 px of box.
        public var minimumBoxHeight = 16.0
        /// Least line sharpness. A 0.35 mm line blurred until it keeps a quarter of the contrast
        /// is wider than a digit stroke's gaps; digits are then guesses.
        public var minimumSharpness = 0.25
        /// Darkest acceptable paper, gray level.
        public var minimumPaperLevel = 60.0
        /// Least difference between paper and the markers' black, gray levels.
        public var minimumContrast = 45.0
        /// Gray level counted as saturated, and the largest tolerable fraction of saturated line pixels.
        public var saturation = 250.0
        public var maximumGlare = 0.2
        /// The largest share of fields that `BoxVerifier` may fail to find before the photo asks
        /// for a retake, and the fewest fields that do so (one field on a page of seven is a
        /// review, not a retake). A few fields hidden by ink or correction fluid go to review one
        /// at a time; beyond this the page model itself is in doubt.
        public var maximumUnlocatedShare = 0.1
        public var unlocatedFieldsForRetake = 2

        public init() {}
    }

    public var parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Checks the page's placement in the photo (before rectifying).
    public func placementReasons(_ page: LocatedPage, photoWidth: Int, photoHeight: Int) -> (boxHeight: Double, reasons: [RetakeReason]) {
        var reasons: [RetakeReason] = []
        let h = page.mapping
        let boxes = page.template.fields.flatMap(\.boxes)
        let heights = boxes.map { box -> Double in
            let top = h.photoPoint(Point(box.center.x, box.minY)), bottom = h.photoPoint(Point(box.center.x, box.maxY))
            guard let top, let bottom else { return 0 }
            return top.distance(to: bottom)
        }
        let boxHeight = heights.reduce(0, +) / Double(max(1, heights.count))
        if boxHeight < parameters.minimumBoxHeight { reasons.append(.resolutionTooLow(boxHeight: boxHeight)) }
        let inFrame = boxes.allSatisfy { box in
            box.corners.allSatisfy { corner in
                guard let p = h.photoPoint(corner) else { return false }
                return p.x >= 0 && p.y >= 0 && p.x <= Double(photoWidth) && p.y <= Double(photoHeight)
            }
        }
        if !inFrame { reasons.append(.pageCutOff) }
        return (boxHeight, reasons)
    }

    /// Measures exposure, contrast, sharpness and glare on the rectified page.
    /// - Parameter bent: Whether the page's markers left one plane (`LocatedPage.markersBent`):
    ///   boxes not found then ask to flatten the sheet (`page_bent`).
    public func assess(_ page: RectifiedPage, fields: [LocatedField], boxHeight: Double,
                       placement: [RetakeReason], bent: Bool = false) -> QualityReport {
        let gray = page.gray
        let s = page.pixelsPerMM
        // Paper: the median of the page away from the edges; black: the markers' dark cells.
        var paperSamples: [UInt8] = []
        let stepX = max(1, gray.width / 60), stepY = max(1, gray.height / 80)
        for y in stride(from: gray.height / 10, to: gray.height * 9 / 10, by: stepY) {
            for x in stride(from: gray.width / 10, to: gray.width * 9 / 10, by: stepX) { paperSamples.append(gray[x, y]) }
        }
        paperSamples.sort()
        let paper = Double(paperSamples.isEmpty ? 0 : paperSamples[paperSamples.count * 3 / 4])
        var blackSamples: [UInt8] = []
        for marker in page.template.markers {
            let r = marker.rect.scaled(by: s)
            for y in stride(from: Int(r.minY), to: Int(r.maxY), by: 2) where y >= 0 && y < gray.height {
                for x in stride(from: Int(r.minX), to: Int(r.maxX), by: 2) where x >= 0 && x < gray.width { blackSamples.append(gray[x, y]) }
            }
        }
        blackSamples.sort()
        let black = Double(blackSamples.isEmpty ? 0 : blackSamples[blackSamples.count / 10])
        let contrast = max(0, paper - black)

        // Sharpness and glare along the located box lines: the darkest pixel across each line.
        let lineWidth = page.template.printing.boxLineWidth * s
        var depths: [Double] = [], saturated = 0, samples = 0
        for field in fields {
            for box in field.boxes {
                for fraction in [0.3, 0.5, 0.7] {
                    let y = Int(box.rect.minY + fraction * box.rect.height)
                    for edgeX in [box.rect.minX - lineWidth / 2, box.rect.maxX + lineWidth / 2] {
                        var darkest = 255.0
                        for dx in -Int(lineWidth.rounded(.up)) ... Int(lineWidth.rounded(.up)) {
                            let x = Int(edgeX) + dx
                            guard x >= 0, x < gray.width, y >= 0, y < gray.height else { continue }
                            darkest = min(darkest, Double(gray[x, y]))
                        }
                        samples += 1
                        if darkest >= parameters.saturation { saturated += 1 }
                        depths.append(max(0, paper - darkest))
                    }
                }
            }
        }
        depths.sort()
        let medianDepth = depths.isEmpty ? 0 : depths[depths.count / 2]
        let sharpness = contrast > 0 ? min(1, medianDepth / contrast) : 0
        let glare = samples > 0 ? Double(saturated) / Double(samples) : 0

        var reasons = placement
        if paper < parameters.minimumPaperLevel { reasons.append(.underexposed(paperLevel: paper)) }
        if contrast < parameters.minimumContrast { reasons.append(.lowContrast(contrast: contrast)) }
        if sharpness < parameters.minimumSharpness { reasons.append(.blurred(sharpness: sharpness)) }
        if glare > parameters.maximumGlare { reasons.append(.glare(fraction: glare)) }
        let unlocated = fields.filter { !$0.located }
        if unlocated.count >= parameters.unlocatedFieldsForRetake,
           Double(unlocated.count) > parameters.maximumUnlocatedShare * Double(fields.count) {
            let (missing, total) = (unlocated.flatMap(\.boxes).count, fields.flatMap(\.boxes).count)
            reasons.append(bent ? .pageBent(missing: missing, of: total) : .boxesNotFound(missing: missing, of: total))
        }
        return QualityReport(boxHeight: boxHeight, paperLevel: paper, contrast: contrast, sharpness: sharpness,
                             glare: glare, reasons: reasons)
    }
}

import FormVision
extension WriterStyle {
    /// A random writer.
    public static func random(using g: inout SeededGenerator) -> WriterStyle {
        let blue = g.chance(0.55)
        let ink: [UInt8] = blue
            ? [UInt8(g.uniform(15 ... 45)), UInt8(g.uniform(35 ... 70)), UInt8(g.uniform(120 ... 175))]
            : [UInt8(g.uniform(15 ... 35)), UInt8(g.uniform(15 ... 35)), UInt8(g.uniform(18 ... 40))]
        let pen: Pen = g.chance(0.6) ? .marker : .ballpoint
        let habits: [(LeadingHabit, Double)] = [(.blank, 0.55), (.x, 0.2), (.dash, 0.1), (.zero, 0.15)]
        var pick = g.uniform(0 ... 1)
        var habit = LeadingHabit.blank
        for (candidate, weight) in habits {
            pick -= weight
            if pick <= 0 { habit = candidate; break }
        }
        return WriterStyle(
            inkName: blue ? "blue" : "black", ink: ink, pen: pen,
            density: pen == .marker ? g.uniform(0.88 ... 0.98) : g.uniform(0.7 ... 0.88),
            strokeWidth: pen == .marker ? g.uniform(0.45 ... 0.8) : g.uniform(0.3 ... 0.45),
            strokeThreshold: pen == .marker ? g.uniform(70 ... 120) : g.uniform(115 ... 160),
            heightFraction: g.uniform(0.55 ... 0.9),
            slant: g.uniform(-0.12 ... 0.3),
            jitter: g.uniform(0.02 ... 0.1),
            leadingHabit: habit,
            startLeftRate: g.chance(0.15) ? g.uniform(0.2 ... 0.6) : 0,
            overflowRate: g.uniform(0 ... 0.12),
            correctionRate: g.chance(0.3) ? g.uniform(0.01 ... 0.04) : 0
        )
    }

    /// The marks this writer puts in `boxes` boxes for a value.
    ///
    /// - Precondition: the value fits the boxes.
    public func marks(for value: Int, boxes: Int, using g: inout SeededGenerator) -> [BoxTruth] {
        let digits = String(value).compactMap { $0.wholeNumberValue }
        precondition(digits.count <= boxes, "\(value) does not fit \(boxes) boxes")
        let unused = boxes - digits.count
        if unused > 0, g.chance(startLeftRate) {
            // Started in the leftmost box; the unused boxes after it get an X (74 -> "7 4 X").
            return digits.map(BoxTruth.digit) + Array(repeating: .x, count: unused)
        }
        let filler: BoxTruth = switch leadingHabit {
        case .blank: .blank
        case .x: .x
        case .dash: .dash
        case .zero: .digit(0)
        }
        return Array(repeating: filler, count: unused) + digits.map(BoxTruth.digit)
    }
}

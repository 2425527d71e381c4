/// Stage 6b: reads the OMR bubble columns printed under a field's boxes (C.HASIL-PPWP page 2),
/// each as probabilities over the digits 0–9 and "none".
///
/// A bubble's fill is the mean ink coverage (as `CellExtractor` measures ink against the paper
/// around the field) over the disc inside its printed circle, less the column's median: every
/// bubble prints its own digit, and most bubbles of a column are left empty, so the median is
/// the printed digit's own ink. A fill is then the evidence that the bubble was blackened:
/// `blackened(fill)` rises smoothly through `filledAt`. The column's probabilities follow from
/// the bubbles taken as independent: digit k when k alone is blackened, none when no bubble is.
/// Two bubbles blackened share the probability, and a bubble blackened in part or crossed out
/// (an X covers about a third of a bubble) counts for less than a full one, so neither reads as
/// a sure digit.
public struct BubbleReader: Sendable {
    public struct Parameters: Sendable, Equatable {
        /// The disc measured, as a fraction of the printed circle's radius: inside its line.
        public var innerFraction = 0.7
        /// The fill at which a bubble is as likely blackened as not, and how sharply the
        /// evidence turns around it. A bubble blackened by pen is 0.7 to 1 filled; an X or a
        /// tick through an empty one about 0.3; the printed digit is taken off first.
        public var filledAt = 0.45
        public var softness = 0.06

        public init() {}
    }

    /// One column of bubbles, as read.
    public struct Column: Sendable, Equatable {
        /// How filled each bubble is, digit 0 first, 0–1, the printed digit taken off.
        public var fills: [Double]
        /// Probabilities of the digits 0–9, then of "no bubble blackened" (11 values, sum 1).
        public var probabilities: [Double]

        /// The likeliest reading: a digit, or nil for none.
        public var likeliest: Int? {
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
            return best < 10 ? best : nil
        }
    }

    public var parameters: Parameters
    /// Measures ink the way cells do.
    public var extractor = CellExtractor()

    public init(parameters: Parameters = Parameters()) {
        self.parameters = parameters
    }

    /// Every bubble column of a field, in the order of its boxes; empty for a field without
    /// bubbles. Each column moves with its box's alignment.
    public func read(_ field: LocatedField, on page: RectifiedPage) -> [Column] {
        guard let columns = page.template.field(named: field.name)?.bubbles else { return [] }
        let s = page.pixelsPerMM
        return columns.enumerated().map { index, column in
            let shift = index < field.boxes.count ? field.boxes[index].shift : .zero
            let centres = column.centers.map { $0 * s + shift }
            let radius = column.radius * s
            let fills = fills(centres: centres, radius: radius, on: page.image)
            return Column(fills: fills, probabilities: probabilities(fills))
        }
    }

    /// The fill of each bubble: mean coverage over its inner disc, less the column's median.
    func fills(centres: [Point], radius: Double, on image: Image) -> [Double] {
        guard let first = centres.first, let last = centres.last else { return [] }
        let area = Rect(x: min(first.x, last.x) - 2 * radius, y: min(first.y, last.y) - 2 * radius,
                        width: abs(last.x - first.x) + 4 * radius, height: abs(last.y - first.y) + 4 * radius)
        let paper = extractor.paperColor(in: area, of: image)
        let inner = radius * parameters.innerFraction
        let raw = centres.map { centre -> Double in
            let (x0, y0, w, h) = CellExtractor.pixels(of: Rect(x: centre.x - inner, y: centre.y - inner, width: 2 * inner,
                                                               height: 2 * inner), in: image)
            guard w > 0, h > 0 else { return 0 }
            let (coverage, _) = extractor.coverageMap(image, x: x0, y: y0, width: w, height: h, paper: paper, paperStride: (0, 0))
            var sum = 0.0, count = 0
            for y in 0 ..< h {
                for x in 0 ..< w {
                    let p = Point(Double(x0 + x) + 0.5, Double(y0 + y) + 0.5)
                    guard p.distance(to: centre) <= inner else { continue }
                    sum += Double(coverage[y * w + x])
                    count += 1
                }
            }
            return count > 0 ? sum / Double(count) : 0
        }
        let baseline = raw.sorted()[raw.count / 2]
        return raw.map { max(0, min(1, ($0 - baseline) / max(0.05, 1 - baseline))) }
    }

    /// The evidence that a bubble with this fill was blackened, 0–1.
    func blackened(_ fill: Double) -> Double { 1 / (1 + exp(-(fill - parameters.filledAt) / parameters.softness)) }

    /// Digits 0–9 and none, from the bubbles taken as independent.
    func probabilities(_ fills: [Double]) -> [Double] {
        let evidence = fills.map { min(1 - 1e-6, max(1e-6, blackened($0))) }
        let none = evidence.reduce(1.0) { $0 * (1 - $1) }
        var weights = evidence.map { none / (1 - $0) * $0 }
        weights.append(none)
        let total = weights.reduce(0, +)
        return weights.map { $0 / total }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import Testing
@testable import FormVision
@testable import FormVisionTraining

@Suite struct ProportionTests {
    /// Each bound of the Wilson interval is a root of its defining equation,
    /// n (p̂ − π)² = z² π (1 − π), checked here instead of the closed form the code uses.
    @Test(arguments: [(493, 500), (1, 3), (50, 100), (4990, 5000), (7, 40)])
    func boundsSolveTheScoreEquation(successes: Int, trials: Int) {
        let proportion = Proportion(successes: successes, trials: trials)
        let z = 1.96, n = Double(trials), p = proportion.rate
        let interval = proportion.wilsonInterval(z: z)
        for bound in [interval.lowerBound, interval.upperBound] {
            let residual = n * (p - bound) * (p - bound) - z * z * bound * (1 - bound)
            #expect(abs(residual) < 1e-9, "bound \(bound) of \(successes)/\(trials)")
        }
        #expect(interval.lowerBound < p && p < interval.upperBound)
    }

    /// At none or all successes the interval does not collapse: it reaches z²/(n + z²) from the
    /// end, and stays inside 0–1.
    @Test func extremesKeepAWidthAndStayInsideZeroToOne() {
        let z = 1.96, zz = z * z
        let none = Proportion(successes: 0, trials: 10).wilsonInterval(z: z)
        #expect(abs(none.lowerBound) < 1e-12 && abs(none.upperBound - zz / (10 + zz)) < 1e-12)
        let all = Proportion(successes: 500, trials: 500).wilsonInterval(z: z)
        #expect(abs(all.upperBound - 1) < 1e-12 && abs(all.lowerBound - 500 / (500 + zz)) < 1e-12)
    }

    /// The same rate measured on more trials is known more tightly; a higher confidence widens it.
    @Test func intervalNarrowsWithTrialsAndWidensWithConfidence() {
        let widths = [(49, 50), (490, 500), (4900, 5000)].map { k, n in
            let interval = Proportion(successes: k, trials: n).wilsonInterval()
            return interval.upperBound - interval.lowerBound
        }
        #expect(widths[0] > widths[1] && widths[1] > widths[2])
        let p = Proportion(successes: 493, trials: 500)
        let (i95, i99) = (p.wilsonInterval(z: 1.96), p.wilsonInterval(z: 2.576))
        #expect(i99.lowerBound < i95.lowerBound && i95.upperBound < i99.upperBound)
    }
}

import Dispatch
import Foundation

/// Runs work over many inputs on several threads and hands the results back in input order.
enum ParallelMap {
    /// Calls `work` on every item, `jobs` at a time, and `consume` on each result in the order of
    /// `items`, as soon as it and every earlier result are ready.
    static func run<Item: Sendable, Result: Sendable>(_ items: [Item], jobs: Int, _ work: @escaping @Sendable (Item) -> Result,
                                                      consume: (Result) throws -> Void) throws {
        let slots = Slots<Result>(count: items.count)
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "formvision.read", attributes: .concurrent)
        let workers = max(1, min(jobs, items.count))
        for _ in 0 ..< workers {
            queue.async(group: group) {
                while let index = slots.claim() { slots.fill(index, work(items[index])) }
            }
        }
        for index in items.indices { try consume(slots.wait(index)) }
        group.wait()
    }

    /// The results, filled by the workers and read in order by the caller.
    private final class Slots<Result: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var results: [Result?]
        private var next = 0

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func claim() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            guard next < results.count else { return nil }
            next += 1
            return next - 1
        }

        func fill(_ index: Int, _ result: Result) {
            condition.lock()
            results[index] = result
            condition.broadcast()
            condition.unlock()
        }

        func wait(_ index: Int) -> Result {
            condition.lock()
            defer { condition.unlock() }
            while results[index] == nil { condition.wait() }
            let result = results[index]!
            results[index] = nil
            return result
        }
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
final class Progress {
    let total: Int
    let label: String
    let enabled: Bool
    private var done = 0
    private let started = Date()

    init(total: Int, label: String) {
        self.total = total
        self.label = label
        enabled = isatty(2) == 1
    }

    func advance() {
        done += 1
        guard enabled else { return }
        let width = 30, filled = total > 0 ? width * done / total : width
        let rate = Double(done) / max(1e-9, Date().timeIntervalSince(started))
        Output.progress("\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                        + "] \(done)/\(total), \(String(format: "%.1f", rate))/s")
    }

    func finish() {
        if enabled && done > 0 { Output.progressDone() }
    }
}

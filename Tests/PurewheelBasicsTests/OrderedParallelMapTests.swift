import Dispatch
import PurewheelBasics
import Synchronization
import Testing

/// The bounded, order-preserving parallel map: order, overlap and the window, each shown without timing.
@Suite struct OrderedParallelMapTests {
    /// Results come out in index order although the first job ends last: it waits until every other job is done.
    @Test(arguments: [2, 3, 4])
    func resultsComeInIndexOrderWhenTheFirstJobEndsLast(width: Int) {
        let count = 6
        let others = DispatchSemaphore(value: 0)
        var emitted = [(Int, String)]()
        OrderedParallelMap.forEach(count, width: width, window: count) { index in
            if index == 0 {
                // Bounded only so that a broken map fails instead of hanging.
                for _ in 1..<count { _ = others.wait(timeout: .now() + 60) }
            } else {
                others.signal()
            }
            return "job \(index)"
        } emit: { index, output in
            emitted.append((index, output))
        }
        #expect(emitted.map(\.0) == Array(0..<count))
        #expect(emitted.map(\.1) == (0..<count).map { "job \($0)" })
    }

    /// Two jobs run at once: job 0 goes on only once job 1 has started, which a one-at-a-time map never lets happen.
    @Test func moreThanOneJobIsInFlight() {
        let secondStarted = DispatchSemaphore(value: 0)
        let overlapped = Mutex(false)
        let results = OrderedParallelMap.map(2, width: 2) { index -> Int in
            if index == 0 {
                let outcome = secondStarted.wait(timeout: .now() + 60)
                overlapped.withLock { $0 = outcome == .success }
            } else {
                secondStarted.signal()
            }
            return index * 10
        }
        #expect(overlapped.withLock { $0 })
        #expect(results == [0, 10])
    }

    /// No job starts while `window` jobs are started and not yet emitted, however fast the later ones are.
    @Test(arguments: [(2, 2), (2, 3), (3, 5)])
    func jobsInFlightNeverExceedTheWindow(width: Int, window: Int) {
        let counts = Mutex((started: 0, emitted: 0, most: 0))
        OrderedParallelMap.forEach(40, width: width, window: window) { index in
            counts.withLock { counts in
                counts.started += 1
                counts.most = max(counts.most, counts.started - counts.emitted)
            }
            return index
        } emit: { _, _ in
            counts.withLock { $0.emitted += 1 }
        }
        let final = counts.withLock { $0 }
        #expect(final.started == 40 && final.emitted == 40)
        #expect(final.most <= window)
    }

    /// One worker, or one job, runs everything on the calling thread in order; no jobs emit nothing.
    @Test func degenerateWidthsRunInOrder() {
        #expect(OrderedParallelMap.map(5, width: 1) { $0 * 2 } == [0, 2, 4, 6, 8])
        #expect(OrderedParallelMap.map(1, width: 8) { $0 + 7 } == [7])
        #expect(OrderedParallelMap.map(0, width: 8) { $0 }.isEmpty)
    }
}

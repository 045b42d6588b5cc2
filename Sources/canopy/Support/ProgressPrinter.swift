import CanopyDiscovery
import Foundation
import Synchronization

/// Prints how much input has been read to stderr, at most once a second, once the run takes longer than a second.
final class ProgressPrinter: Sendable {
    private struct State {
        var lastPrint: Double
        var printed = false
    }

    private let start = Date().timeIntervalSince1970
    private let state: Mutex<State>
    private let interactive = isatty(2) == 1

    init() {
        state = Mutex(State(lastPrint: Date().timeIntervalSince1970))
    }

    func update(_ bytes: Int64) {
        let now = Date().timeIntervalSince1970
        let shouldPrint = state.withLock { s -> Bool in
            guard now - start > 1, now - s.lastPrint >= (interactive ? 1 : 10) else { return false }
            s.lastPrint = now
            s.printed = true
            return true
        }
        guard shouldPrint else { return }
        let rate = Double(bytes) / max(0.001, now - start)
        let line = "read \(Units.bytes(bytes)) (\(Units.bytes(Int64(rate)))/s)"
        FileHandle.standardError.write(Data((interactive ? "\r\(line)   " : line + "\n").utf8))
    }

    func finish() {
        if interactive, state.withLock({ $0.printed }) { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

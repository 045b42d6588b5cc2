import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command and measures it: wall time, CPU time and peak resident memory (from `wait4`).
struct Measurement {
    var seconds: Double
    var userSeconds: Double
    var peakMemoryKB: Int
    var exitStatus: Int32

    /// The fastest of several runs of one command, with the largest peak memory seen in any of them.
    static func best(_ runs: [Measurement]) -> Measurement {
        guard var best = runs.min(by: { $0.seconds < $1.seconds }) else {
            return Measurement(seconds: 0, userSeconds: 0, peakMemoryKB: 0, exitStatus: -1)
        }
        best.peakMemoryKB = runs.map(\.peakMemoryKB).max() ?? best.peakMemoryKB
        return best
    }
}

enum Spawn {
    /// Runs `arguments` (the first is the executable path) with stdout to `stdoutPath` (or /dev/null).
    static func run(_ arguments: [String], stdoutPath: String = "/dev/null", stdinPath: String? = nil) -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        if let stdinPath { posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0) }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let start = Date()
        let rc = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard rc == 0 else { return Measurement(seconds: 0, userSeconds: 0, peakMemoryKB: 0, exitStatus: -1) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        let elapsed = Date().timeIntervalSince(start)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return Measurement(
            seconds: elapsed,
            userSeconds: user,
            peakMemoryKB: Int(usage.ru_maxrss),
            exitStatus: (status >> 8) & 0xFF
        )
    }

    /// The full path of a command on PATH.
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

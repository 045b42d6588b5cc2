/// An input that cannot be read at all (missing, unreadable, corrupt archive): fatal for that input only.
package struct InputError: Error, Sendable, CustomStringConvertible {
    package var source: String
    package var reason: String

    package init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    package var description: String { "\(source): \(reason)" }
}

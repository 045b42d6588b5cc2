/// A collector failure that stops one data source (a port that cannot be bound, a missing certificate); never
/// carries message contents.
package struct CollectorError: Error, CustomStringConvertible, Sendable {
    package var description: String

    package init(_ description: String) { self.description = description }
}

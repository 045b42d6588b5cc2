/// Makes fresh parser instances of one format: built-in parser types and custom (YAML-defined) parsers alike.
package struct ParserFactory: Sendable {
    package let descriptor: ParserDescriptor
    private let make: @Sendable () -> any LogParser

    package init(descriptor: ParserDescriptor, make: @escaping @Sendable () -> any LogParser) {
        self.descriptor = descriptor
        self.make = make
    }

    /// The factory of a built-in parser type.
    package init(_ type: any BuiltinLogParser.Type) {
        self.descriptor = type.descriptor
        self.make = { type.init() }
    }

    /// A new parser with no state.
    package func makeParser() -> any LogParser { make() }
}

extension BuiltinParsers {
    /// Factories for every built-in parser, in registry order.
    package static var factories: [ParserFactory] { all.map(ParserFactory.init) }
}

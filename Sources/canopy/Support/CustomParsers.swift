import CanopyDiscovery
import Foundation

/// Loads custom parser definitions (YAML) from `--parser` files and from `DATA/parsers/`.
enum CustomParsers {
    static func load(files: [String], data: DataDirectory) throws -> [ParserFactory] {
        var paths = files
        let dir = data.url.appendingPathComponent("parsers")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) {
            paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { dir.appendingPathComponent($0).path }
        }
        var factories: [ParserFactory] = []
        for path in paths {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw CLIError("cannot read custom parser \(path)")
            }
            let parser: CustomParser
            do {
                parser = try CustomParser(yaml: text)
            } catch let error as CustomParserError {
                throw CLIError("\(path): \(error)")
            }
            if BuiltinParsers.named(parser.descriptor.id) != nil {
                throw CLIError("\(path): id \(parser.descriptor.id) is a built-in format; choose another id")
            }
            factories.append(ParserFactory(descriptor: parser.descriptor) { parser })
        }
        return factories
    }
}

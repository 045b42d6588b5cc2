package import CanopyCore

/// A compiled `strftime`-style time layout for custom parsers, read over bytes.
///
/// Directives: `%Y` year, `%y` two-digit year (2000–2099), `%m` month, `%d` day, `%e` day (space-padded), `%b`
/// month abbreviation, `%H` hour, `%I` 12-hour hour with `%p` AM/PM, `%M` minute, `%S` second, `%f` fraction of a
/// second (any digits), `%z` `±hh[:]mm` or `Z`, `%T` = `%H:%M:%S`, `%F` = `%Y-%m-%d`, `%s` epoch seconds, `%%`.
/// Named layouts: `epoch`, `epoch_ms`, `iso8601`, `auto` (tries every layout Canopy knows).
package struct TimeFormat: Sendable, Hashable {
    private enum Token: Sendable, Hashable {
        case literal(UInt8)
        case year4, year2, month, day, dayPadded, monthName, hour, hour12, ampm, minute, second, fraction, zone, epoch
    }

    private enum Kind: Sendable, Hashable {
        case pattern([Token])
        case epochSeconds, epochMilliseconds, iso8601, auto
    }

    private let kind: Kind
    package let layout: String

    /// Tries every layout Canopy knows.
    package static let automatic = TimeFormat(kind: .auto, layout: "auto")

    private init(kind: Kind, layout: String) {
        self.kind = kind
        self.layout = layout
    }

    /// Compiles a layout; nil for an unknown directive.
    package init?(_ layout: String) {
        self.layout = layout
        switch layout {
        case "epoch": kind = .epochSeconds
        case "epoch_ms": kind = .epochMilliseconds
        case "iso8601": kind = .iso8601
        case "auto": kind = .auto
        default:
            var tokens: [Token] = []
            var bytes = Array(layout.utf8)[...]
            while let b = bytes.popFirst() {
                guard b == UInt8(ascii: "%") else {
                    tokens.append(.literal(b))
                    continue
                }
                guard let d = bytes.popFirst() else { return nil }
                switch d {
                case UInt8(ascii: "Y"): tokens.append(.year4)
                case UInt8(ascii: "y"): tokens.append(.year2)
                case UInt8(ascii: "m"): tokens.append(.month)
                case UInt8(ascii: "d"): tokens.append(.day)
                case UInt8(ascii: "e"): tokens.append(.dayPadded)
                case UInt8(ascii: "b"), UInt8(ascii: "h"): tokens.append(.monthName)
                case UInt8(ascii: "H"): tokens.append(.hour)
                case UInt8(ascii: "I"): tokens.append(.hour12)
                case UInt8(ascii: "p"): tokens.append(.ampm)
                case UInt8(ascii: "M"): tokens.append(.minute)
                case UInt8(ascii: "S"): tokens.append(.second)
                case UInt8(ascii: "f"): tokens.append(.fraction)
                case UInt8(ascii: "z"): tokens.append(.zone)
                case UInt8(ascii: "s"): tokens.append(.epoch)
                case UInt8(ascii: "T"): tokens += [.hour, .literal(58), .minute, .literal(58), .second]
                case UInt8(ascii: "F"): tokens += [.year4, .literal(45), .month, .literal(45), .day]
                case UInt8(ascii: "%"): tokens.append(.literal(37))
                default: return nil
                }
            }
            kind = .pattern(tokens)
        }
    }

    /// Reads a timestamp; nil when the text does not fit the layout or the date is impossible.
    package func parse(_ b: Bytes, defaultYear: Int) -> Timestamp? {
        switch kind {
        case .epochSeconds: return TimeParsing.epoch(b)
        case .epochMilliseconds:
            guard let ms = b.decimal else { return nil }
            return Timestamp(millisecondsSinceEpoch: ms)
        case .iso8601: return TimeParsing.iso8601(b)
        case .auto: return TimeParsing.any(b, defaultYear: defaultYear)
        case .pattern(let tokens): return parse(b, tokens, defaultYear: defaultYear)
        }
    }

    private func parse(_ b: Bytes, _ tokens: [Token], defaultYear: Int) -> Timestamp? {
        var i = 0
        var fields = DateTimeFields()
        var pm: Bool? = nil
        func number(_ maxDigits: Int) -> Int? { TimeParsing.number(b, &i, maxDigits: maxDigits) }
        for token in tokens {
            switch token {
            case .literal(let c):
                guard i < b.count, b[i] == c else { return nil }
                i += 1
            case .year4:
                guard let v = number(4) else { return nil }
                fields.year = v
            case .year2:
                guard let v = number(2) else { return nil }
                fields.year = 2000 + v
            case .month:
                guard let v = number(2) else { return nil }
                fields.month = v
            case .day:
                guard let v = number(2) else { return nil }
                fields.day = v
            case .dayPadded:
                if i < b.count, b[i] == 32 { i += 1 }
                guard let v = number(2) else { return nil }
                fields.day = v
            case .monthName:
                guard let v = TimeParsing.month(b, i) else { return nil }
                fields.month = v
                i += 3
            case .hour, .hour12:
                guard let v = number(2) else { return nil }
                fields.hour = v
            case .ampm:
                guard i + 2 <= b.count else { return nil }
                let c = b[i] | 0x20
                guard c == 0x61 || c == 0x70, b[i + 1] | 0x20 == 0x6D else { return nil }
                pm = c == 0x70
                i += 2
            case .minute:
                guard let v = number(2) else { return nil }
                fields.minute = v
            case .second:
                guard let v = number(2) else { return nil }
                fields.second = v
            case .fraction:
                guard let ms = TimeParsing.milliseconds(b, &i) else { return nil }
                fields.millisecond += ms
            case .zone:
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "Z") {
                    i += 1
                    continue
                }
                guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
                let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let hh = number(2) else { return nil }
                if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
                let mm = number(2) ?? 0
                fields.offset = sign * (hh * 3600 + mm * 60)
            case .epoch:
                let start = i
                while i < b.count, b[i] >= 48 && b[i] <= 57 { i += 1 }
                return TimeParsing.epoch(b.sub(start..<i))
            }
        }
        guard i == b.count else { return nil }
        if let pm {
            guard (1...12).contains(fields.hour) else { return nil }
            fields.hour = fields.hour % 12 + (pm ? 12 : 0)
        }
        return fields.timestamp(defaultYear: defaultYear)
    }
}

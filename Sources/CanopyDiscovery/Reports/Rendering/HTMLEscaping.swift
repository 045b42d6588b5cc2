/// Escaping for HTML text and attribute values: every value from a log passes through here.
package enum HTML {
    /// Escapes `& < > " '` and replaces control characters, so text can go in element content or a quoted attribute.
    package static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 32 && scalar != "\n" && scalar != "\t" || scalar.value == 127 {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

package import CanopyCore

/// The syslog envelope in front of a device message: RFC 5424 or RFC 3164 (and the common variants).
///
/// Devices differ in what they put before their own message: `<PRI>`, a timestamp with or without a year, a
/// host name, a tag. ``parse(_:defaultYear:)`` takes off what it recognizes and returns the rest.
package struct SyslogHeader {
    /// The envelope's time, when it had one.
    package var time: Timestamp?
    /// The sending host, when present.
    package var host: Bytes?
    /// Where the message after the envelope starts.
    package var messageStart: Int

    /// Parses the envelope. Never fails: a line with no envelope gives `messageStart == 0`.
    package static func parse(_ line: Bytes, defaultYear: Int) -> SyslogHeader {
        var header = SyslogHeader(time: nil, host: nil, messageStart: 0)
        var i = 0
        let n = line.count
        // <PRI>
        if n > 2, line[0] == UInt8(ascii: "<") {
            var j = 1
            while j < n, j <= 4, line[j] >= 48 && line[j] <= 57 { j += 1 }
            if j < n, j > 1, line[j] == UInt8(ascii: ">") { i = j + 1 }
        }
        // RFC 5424: "1 " then an ISO timestamp.
        if i + 2 < n, line[i] == UInt8(ascii: "1"), line[i + 1] == 32 {
            var fields = [Range<Int>]()
            var p = i + 2
            for _ in 0..<5 {
                let s = p
                while p < n, line[p] != 32 { p += 1 }
                fields.append(s..<p)
                if p < n { p += 1 }
            }
            if fields.count == 5 {
                header.time = TimeParsing.iso8601(line.sub(fields[0]))
                if header.time != nil || line.sub(fields[0]).equals("-") {
                    header.host = line.sub(fields[1])
                    // Structured data: "-" or one or more [ … ] blocks.
                    if p < n, line[p] == UInt8(ascii: "-") {
                        p += 1
                    } else {
                        while p < n, line[p] == UInt8(ascii: "[") {
                            while p < n, line[p] != UInt8(ascii: "]") {
                                if line[p] == UInt8(ascii: "\\") { p += 1 }
                                p += 1
                            }
                            p += 1
                        }
                    }
                    while p < n, line[p] == 32 { p += 1 }
                    // A UTF-8 BOM may open the message.
                    if p + 3 <= n, line[p] == 0xEF, line[p + 1] == 0xBB, line[p + 2] == 0xBF { p += 3 }
                    header.messageStart = min(p, n)
                    return header
                }
            }
        }
        let rest = line.dropFirst(i)
        // RFC 3164 timestamp, or an ISO one.
        if let (t, used) = TimeParsing.syslog(rest, defaultYear: defaultYear) {
            header.time = t
            i += used
        } else if rest.count >= 19, let space = rest.index(of: 32), space >= 19,
            let t = TimeParsing.iso8601(rest.sub(0..<space))
        {
            header.time = t
            i += space
        } else {
            header.messageStart = i
            return header
        }
        // Optional trailing ':' after the time (Cisco), then spaces.
        if i < n, line[i] == UInt8(ascii: ":") { i += 1 }
        while i < n, line[i] == 32 { i += 1 }
        // Host: a token that is not a tag (no ':' at its end, not starting with '%').
        var j = i
        while j < n, line[j] != 32 { j += 1 }
        if j > i, j < n, line[j - 1] != UInt8(ascii: ":"), line[i] != UInt8(ascii: "%"),
            line.sub(i..<j).index(of: UInt8(ascii: "=")) == nil, line.sub(i..<j).index(of: UInt8(ascii: ",")) == nil
        {
            header.host = line.sub(i..<j)
            i = j + 1
            while i < n, line[i] == 32 { i += 1 }
        }
        header.messageStart = i
        return header
    }
}

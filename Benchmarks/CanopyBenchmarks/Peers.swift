/// The peer tools run on the same files: GoAccess (log analyzer) and mawk doing the same group-bys.
enum Peers {
    /// GoAccess arguments for formats it can read (Squid native with the layout from shared/ENVIRONMENT.md,
    /// combined, W3C); nil for the others.
    static func goaccess(_ format: LogFormat, path: String, dir: String) -> [String]? {
        let common = [path, "--no-progress", "--no-global-config", "-o", "\(dir)/goaccess-\(format.rawValue).json"]
        switch format {
        case .squid:
            return common + [
                "--log-format=%x.%^ %~%L %h %^/%s %b %m %U %e %^ %^", "--date-format=%s", "--time-format=%s",
            ]
        case .combined:
            return common + ["--log-format=COMBINED"]
        case .w3c:
            return common + [
                "--log-format=%d %t %h %e %m %v %U %q %s %b %^ %u %^", "--date-format=%Y-%m-%d",
                "--time-format=%H:%M:%S",
            ]
        default:
            return nil
        }
    }

    /// A mawk program computing what Canopy's report computes per line — traffic and transactions per
    /// destination host, per user and per source IP — for the space-separated formats; nil for the others.
    static func mawk(_ format: LogFormat) -> String? {
        switch format {
        case .squid:
            return """
                { h = $7; sub(/^[a-z]+:\\/\\//, "", h); sub(/[\\/:].*$/, "", h)
                  hb[h] += $5; hn[h]++; ub[$8] += $5; un[$8]++; ib[$3] += $5; in_[$3]++ }
                END { for (k in hb) n++; for (k in ub) n++; for (k in ib) n++; print n }
                """
        case .combined:
            return """
                { h = $7; sub(/^[a-z]+:\\/\\//, "", h); sub(/[\\/:].*$/, "", h)
                  hb[h] += $10; hn[h]++; ub[$3] += $10; un[$3]++; ib[$1] += $10; in_[$1]++ }
                END { for (k in hb) n++; for (k in ub) n++; for (k in ib) n++; print n }
                """
        case .w3c:
            return """
                /^#/ { next }
                { hb[$6] += $10; hn[$6]++; ub[$4] += $10; un[$4]++; ib[$3] += $10; in_[$3]++ }
                END { for (k in hb) n++; for (k in ub) n++; for (k in ib) n++; print n }
                """
        default:
            return nil
        }
    }
}

/// A Cloud Discovery snapshot report: what the organization uses, who uses it, how much data went where.
package struct DiscoveryReport: Sendable, Codable, Hashable {
    /// One input and the format it was read with.
    package struct Source: Sendable, Codable, Hashable {
        package var name: String
        package var parser: String
        /// How sure the format sniffer was (records / non-ignored sample lines), 1 when `--format` was given.
        package var confidence: Double
        package var statistics: ParseStatistics

        package init(name: String, parser: String, confidence: Double, statistics: ParseStatistics) {
            self.name = name
            self.parser = parser
            self.confidence = confidence
            self.statistics = statistics
        }
    }

    package struct Totals: Sendable, Codable, Hashable {
        package var apps = 0
        package var users = 0
        package var sourceIPs = 0
        package var bytesUp: Int64 = 0
        package var bytesDown: Int64 = 0
        package var bytesTotal: Int64 = 0
        package var transactions: Int64 = 0
        package var blocked: Int64 = 0
        package var unknownDestinations = 0
    }

    package struct AppUsage: Sendable, Codable, Hashable {
        package var id: String
        package var name: String
        package var category: String
        package var categoryName: String
        /// Final 0–10 score (nil: nothing known).
        package var score: Double?
        package var level: RiskLevel
        /// Scored attributes with a known value, and how many there are (see ``RiskExplanation``).
        package var knownAttributes: Int
        package var scoredAttributes: Int
        package var tags: [String]
        package var traffic: TrafficCounters
        package var users: Int
        package var sourceIPs: Int
    }

    package struct UserUsage: Sendable, Codable, Hashable {
        package var user: String
        package var apps: Int
        package var traffic: TrafficCounters
    }

    package struct IPUsage: Sendable, Codable, Hashable {
        package var ip: String
        package var apps: Int
        package var users: Int
        package var traffic: TrafficCounters
    }

    package struct DeviceUsage: Sendable, Codable, Hashable {
        package var device: String
        package var traffic: TrafficCounters
    }

    package struct CategoryUsage: Sendable, Codable, Hashable {
        package var id: String
        package var name: String
        package var apps: Int
        package var users: Int
        package var traffic: TrafficCounters
    }

    package struct LevelUsage: Sendable, Codable, Hashable {
        package var level: RiskLevel
        package var apps: Int
        package var traffic: TrafficCounters
    }

    package struct UnknownDestination: Sendable, Codable, Hashable {
        /// The registrable domain (or the IP) of unmatched destinations.
        package var destination: String
        package var hosts: Int
        package var users: Int
        package var traffic: TrafficCounters
    }

    package struct DayUsage: Sendable, Codable, Hashable {
        package var date: String
        package var apps: Int
        package var traffic: TrafficCounters
    }

    package var generatedAt: String
    package var sources: [Source]
    package var statistics: ParseStatistics
    package var firstSeen: String?
    package var lastSeen: String?
    package var anonymized: Bool
    package var totals: Totals
    package var apps: [AppUsage]
    package var users: [UserUsage]
    package var sourceIPs: [IPUsage]
    package var devices: [DeviceUsage]
    package var categories: [CategoryUsage]
    package var riskLevels: [LevelUsage]
    package var unknownDestinations: [UnknownDestination]
    package var days: [DayUsage]
    /// Traffic to private/loopback destinations, not attributed to apps.
    package var privateTraffic: TrafficCounters
}

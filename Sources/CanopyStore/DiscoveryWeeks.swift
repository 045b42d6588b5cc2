/// The weekly level of the Cloud Discovery rollups: which rows a day range reads.
///
/// A week runs Monday to Sunday (days since the epoch; day 4, 1970-01-05, was a Monday) and is named by its first
/// day. Once a week is over, its daily rollups are added up into the weekly tables (``Schema/weeklyRollupsID``) and
/// the week is listed as built; anything that later writes or deletes one of its days takes it off the list again,
/// until it is built anew. A day range reads each built week that lies wholly inside it from the weekly tables and
/// every other day — the edges, the current week, weeks not (or no longer) built — from the daily ones, so the answer
/// is the same whichever rows it reads (the conformance suite checks it).
package struct DiscoveryWeeks: Sendable, Equatable {
    /// Ranges of days read from the daily rollups, ascending.
    package var days: [ClosedRange<Int32>]
    /// Ranges of week starts read from the weekly rollups, ascending.
    package var weeks: [ClosedRange<Int32>]

    package static let length: Int32 = 7

    /// The Monday that starts `day`'s week (`Int32.min` for the few days after it, whose Monday is not an `Int32`).
    package static func start(of day: Int32) -> Int32 {
        let offset = (Int64(day) - 4) % Int64(length)
        return Int32(clamping: Int64(day) - (offset < 0 ? offset + Int64(length) : offset))
    }

    /// The week starts of every week that `days` touches.
    package static func starts(touching days: ClosedRange<Int32>) -> [Int32] {
        Array(stride(from: start(of: days.lowerBound), through: days.upperBound, by: Int(length)))
    }

    /// Reads every day of `range` from the daily rollups.
    package init(daily range: ClosedRange<Int32>) {
        (days, weeks) = ([range], [])
    }

    /// The rows that answer `range`, given the week starts that are built. Only the span of the built weeks is
    /// walked, a week at a time, so any range costs at most one step per built week.
    package init(_ range: ClosedRange<Int32>, built: Set<Int32>) {
        (days, weeks) = ([], [])
        let last = Int64(range.upperBound)
        var day = Int64(range.lowerBound)
        let lastBuilt = Int64(built.max() ?? Int32.min) + Int64(Self.length) - 1
        if let firstBuilt = built.min(), Int64(firstBuilt) > day {
            addDays(day...min(Int64(firstBuilt) - 1, last))
            day = Int64(firstBuilt)
        }
        while day <= min(last, lastBuilt) {
            let weekStart = Int64(Self.start(of: Int32(day)))
            let weekEnd = weekStart + Int64(Self.length) - 1
            if weekStart == day, weekEnd <= last, built.contains(Int32(weekStart)) {
                if let previous = weeks.last, Int64(previous.upperBound) + Int64(Self.length) == weekStart {
                    weeks[weeks.count - 1] = previous.lowerBound...Int32(weekStart)
                } else {
                    weeks.append(Int32(weekStart)...Int32(weekStart))
                }
            } else {
                addDays(day...min(weekEnd, last))
            }
            day = weekEnd + 1
        }
        if day <= last { addDays(day...last) }
    }

    /// Appends days to ``days``, joining them to the last range when they follow it.
    private mutating func addDays(_ added: ClosedRange<Int64>) {
        let range = Int32(added.lowerBound)...Int32(added.upperBound)
        if let previous = days.last, Int64(previous.upperBound) + 1 == added.lowerBound {
            days[days.count - 1] = previous.lowerBound...range.upperBound
        } else {
            days.append(range)
        }
    }

    /// A derived table (`(SELECT … UNION ALL …) AS r`) of `columns` from the daily rollup `table` over ``days`` and
    /// its weekly twin over ``weeks``, limited to one data source when `dataSource` is set. Table and column names
    /// are constants of the stores, never input; the bounds are integers written as literals.
    package func source(_ table: String, columns: String, dataSource: Int64?) -> String {
        let scope = dataSource.map { " AND data_source = \($0)" } ?? ""
        let parts =
            days.map { (table, $0) } + weeks.map { (Self.weekly(table), $0) }
        let selects = parts.map { table, range in
            "SELECT \(columns) FROM \(table) WHERE day BETWEEN \(range.lowerBound) AND \(range.upperBound)\(scope)"
        }
        return "(" + selects.joined(separator: " UNION ALL ") + ") AS r"
    }

    /// The weekly table of a daily rollup table (`discovery_app_day` → `discovery_app_week`).
    package static func weekly(_ table: String) -> String {
        precondition(table.hasSuffix("_day"), "\(table) is not a daily rollup")
        return table.dropLast(4) + "_week"
    }
}

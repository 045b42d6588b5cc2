package import CanopyCore

/// An activity with the id the store gave it (ids only grow: the list's cursor).
package struct StoredActivity: Sendable, Hashable {
    package var id: Int64
    package var activity: Activity

    package init(id: Int64, activity: Activity) {
        self.id = id
        self.activity = activity
    }
}

/// Which activities a list wants; nil fields match everything. Times are ms since the epoch, `to` exclusive.
package struct ActivityFilter: Sendable, Hashable {
    package var app: String?
    package var instance: String?
    /// The actor's name (as the app logs it).
    package var user: String?
    package var type: ActivityType?
    package var ip: String?
    package var result: Activity.Result?
    package var source: Activity.Source?
    package var from: Int64?
    package var to: Int64?

    package init(
        app: String? = nil,
        instance: String? = nil,
        user: String? = nil,
        type: ActivityType? = nil,
        ip: String? = nil,
        result: Activity.Result? = nil,
        source: Activity.Source? = nil,
        from: Int64? = nil,
        to: Int64? = nil
    ) {
        self.app = app
        self.instance = instance
        self.user = user
        self.type = type
        self.ip = ip
        self.result = result
        self.source = source
        self.from = from
        self.to = to
    }
}

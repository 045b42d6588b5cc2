/// One thing a user, an admin or a service did in a cloud app, normalized from the app's audit log (CloudTrail,
/// Microsoft 365, Google Workspace, Okta, GitHub …), from the session proxy or from an imported file.
///
/// Fields the source does not carry stay `nil` (or empty): a mapper never invents a value. `type` is a closed
/// vocabulary so that policies and detections work across apps; `rawEventName` keeps the app's own name for it.
package struct Activity: Sendable, Hashable, Codable {
    /// Where the activity came from.
    package enum Source: String, Sendable, Hashable, Codable, CaseIterable {
        /// An app connector polling the app's audit API.
        case connector
        /// The session-control proxy.
        case proxy
        /// A file of audit events uploaded by an admin.
        case `import`
    }

    /// Whether the action succeeded, as the app reported it.
    package enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case success
        case failure
        case unknown
    }

    /// Who acted.
    package struct Actor: Sendable, Hashable, Codable {
        /// What kind of principal acted.
        package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
            case user
            /// An application, service account or API key.
            case application
            /// The app itself (scheduled jobs, system events).
            case system
            case unknown
        }

        /// The app's id for the actor (an AWS ARN, an Entra object id, an Okta user id …).
        package var id: String?
        /// The name the app shows (usually the user principal name or login).
        package var name: String?
        package var email: String?
        package var kind: Kind
        /// Whether the actor acted as an administrator of the app.
        package var isAdmin: Bool

        package init(
            id: String? = nil,
            name: String? = nil,
            email: String? = nil,
            kind: Kind = .user,
            isAdmin: Bool = false
        ) {
            self.id = id
            self.name = name
            self.email = email
            self.kind = kind
            self.isAdmin = isAdmin
        }
    }

    /// Where the request came from, from a GeoIP lookup of ``Activity/ip``.
    package struct Location: Sendable, Hashable, Codable {
        /// ISO 3166-1 alpha-2 country code.
        package var country: String?
        package var region: String?
        package var city: String?
        package var latitude: Double?
        package var longitude: Double?

        package init(
            country: String? = nil,
            region: String? = nil,
            city: String? = nil,
            latitude: Double? = nil,
            longitude: Double? = nil
        ) {
            self.country = country
            self.region = region
            self.city = city
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    /// The app's own id for the event (CloudTrail `eventID`, Microsoft 365 `Id`, Okta `uuid` …): with ``app`` and
    /// ``instance`` it identifies the event, so reading the same page twice stores it once.
    package var sourceEventID: String
    /// Milliseconds since the epoch.
    package var time: Int64
    package var source: Source
    /// The catalog id of the app (`amazon-web-services`, `microsoft-365` …).
    package var app: String
    /// Which account or tenant of the app (an AWS account id, a Microsoft 365 tenant); empty when there is one.
    package var instance: String
    package var actor: Actor
    /// Whether the actor acted on behalf of another user (delegated or impersonated access).
    package var impersonated: Bool
    /// The client address, as text (IPv4 or IPv6), when the app logs one.
    package var ip: String?
    package var location: Location?
    /// The network operator of ``ip``.
    package var isp: String?
    /// The autonomous system number of ``ip``.
    package var asn: Int?
    /// Tags of the IP ranges ``ip`` falls in (`corporate`, `vpn`, `risky` …).
    package var ipTags: [String]
    package var userAgent: String?
    /// What is known about the device (`managed`, `compliant` …).
    package var deviceTags: [String]
    package var type: ActivityType
    /// The app's name for the event (`ConsoleLogin`, `FileDownloaded`, `user.session.start` …).
    package var rawEventName: String
    /// What was acted on: file names, bucket names, user names, setting names.
    package var objects: [String]
    package var result: Result
    /// The event as the app sent it (JSON), for investigation and re-mapping.
    package var raw: String?

    package init(
        sourceEventID: String,
        time: Int64,
        source: Source,
        app: String,
        instance: String = "",
        actor: Actor,
        impersonated: Bool = false,
        ip: String? = nil,
        location: Location? = nil,
        isp: String? = nil,
        asn: Int? = nil,
        ipTags: [String] = [],
        userAgent: String? = nil,
        deviceTags: [String] = [],
        type: ActivityType,
        rawEventName: String,
        objects: [String] = [],
        result: Result = .unknown,
        raw: String? = nil
    ) {
        self.sourceEventID = sourceEventID
        self.time = time
        self.source = source
        self.app = app
        self.instance = instance
        self.actor = actor
        self.impersonated = impersonated
        self.ip = ip
        self.location = location
        self.isp = isp
        self.asn = asn
        self.ipTags = ipTags
        self.userAgent = userAgent
        self.deviceTags = deviceTags
        self.type = type
        self.rawEventName = rawEventName
        self.objects = objects
        self.result = result
        self.raw = raw
    }
}

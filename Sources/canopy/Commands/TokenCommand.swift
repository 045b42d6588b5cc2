import ArgumentParser
import CanopyServer
import CanopyStore
import Foundation

/// `canopy token`: API bearer tokens for `canopy serve` (created, listed and revoked in the data directory's store).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        discussion: """
            A token is shown once, when it is created; the store keeps only its SHA-256. Each token has a role \
            (global-admin, security-admin, security-operator, security-reader, compliance-admin) and an expiry. \
            Creating and revoking are recorded in the audit log.

              canopy token create --name siem-export --role security-reader --days 90
              canopy token list --output json
              canopy token revoke 3
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// The store `canopy serve` uses, migrated (without creating an admin or printing anything): PostgreSQL when
    /// `CANOPY_DATABASE_URL` is set, as for `canopy serve --database`; otherwise the data directory's SQLite.
    static func openStore(_ data: String) async throws -> any Store {
        try await CanopyServer.openStore(
            ServerDataDirectory(path: data),
            databaseURL: ProcessInfo.processInfo.environment["CANOPY_DATABASE_URL"]
        )
    }

    static var actor: String {
        ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a token and print it once."
        )

        @Option(help: "The data directory.") var data: String = "canopy-data"
        @Option(help: "What the token is for (shown in lists and the audit log).") var name: String
        @Option(help: "The role: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Days until it expires (1–3650).") var days: Int = 90
        @OptionGroup var format: TableOrJSONOption

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role takes one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard role != Role.appAdmin.rawValue else {
                throw ValidationError("tokens cannot be app-admin: app admins sign in to the portal")
            }
            guard (1...3_650).contains(days) else { throw ValidationError("--days must be between 1 and 3650") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else {
                throw ValidationError("--name must be 1–100 characters")
            }
        }

        func run() async throws {
            let store = try await TokenCommand.openStore(data)
            let secret = APITokens.generate()
            let now = CanopyServer.now()
            let expires = now + Int64(days) * 86_400_000
            let id = try await store.createToken(
                APIToken(
                    name: name,
                    tokenHash: APITokens.hash(secret),
                    role: role,
                    createdBy: TokenCommand.actor,
                    createdAt: now,
                    expiresAt: expires
                )
            )
            try await store.appendAudit(
                AuditEntry(
                    time: now,
                    actor: TokenCommand.actor,
                    action: "token.create",
                    target: "token \(id)",
                    detail: "\(name), \(role), \(days) days",
                    sourceIP: nil
                )
            )
            if format.output == .json {
                struct Created: Encodable {
                    var id: Int64
                    var name: String
                    var role: String
                    var expiresAt: Int64
                    var token: String
                }
                Console.out(
                    try JSONOutput.string(Created(id: id, name: name, role: role, expiresAt: expires, token: secret))
                )
            } else {
                Console.out(
                    "token \(id) (\(name), \(role)) expires in \(days) days:\n\(secret)\n"
                        + "It is shown only now; the server keeps only its hash.\n"
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List tokens, newest first (never their secret)."
        )

        @Option(help: "The data directory.") var data: String = "canopy-data"
        @OptionGroup var format: TableOrJSONOption

        func run() async throws {
            let store = try await TokenCommand.openStore(data)
            let now = CanopyServer.now()
            let items = try await store.tokens().map { TokenItem($0, now: now) }
            if format.output == .json {
                Console.out(try JSONOutput.string(items))
                return
            }
            var out = "ID  STATUS   ROLE               NAME\n"
            for i in items {
                out +=
                    "\(i.id)".padding(toLength: 4, withPad: " ", startingAt: 0)
                    + i.status.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + i.role.padding(toLength: 19, withPad: " ", startingAt: 0) + i.name + "\n"
            }
            Console.out(items.isEmpty ? "no tokens\n" : out)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke a token at once."
        )

        @Option(help: "The data directory.") var data: String = "canopy-data"
        @Argument(help: "The token's id (from `canopy token list`).") var id: Int64

        func run() async throws {
            let store = try await TokenCommand.openStore(data)
            guard try await store.revokeToken(id: id) else {
                Console.error("canopy: no active token with id \(id)")
                throw ExitCode(1)
            }
            try await store.appendAudit(
                AuditEntry(
                    time: CanopyServer.now(),
                    actor: TokenCommand.actor,
                    action: "token.revoke",
                    target: "token \(id)",
                    detail: "revoked",
                    sourceIP: nil
                )
            )
            Console.out("token \(id) revoked\n")
        }
    }
}

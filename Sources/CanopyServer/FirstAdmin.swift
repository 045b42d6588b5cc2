package import CanopyStore
import Foundation
import HummingbirdBcrypt

/// The first admin of a new installation: created on first start with a generated one-time password that
/// `canopy serve` prints once (and never logs); the account must change it at first sign-in.
package enum FirstAdmin {
    /// The first admin's name.
    package static let name = "admin"

    /// bcrypt's cost: 2^12 rounds (≈ 0.25 s a check here), the slow hash that makes a stolen hash expensive.
    package static let bcryptCost: UInt8 = 12

    /// Creates the first admin when the store has no admin yet.
    ///
    /// - Returns: the one-time password when an account was created now; nil when admins exist.
    package static func ensure(in store: any Store, now: Int64) async throws -> String? {
        guard try await store.adminCount() == 0 else { return nil }
        let password = generatePassword()
        let account = AdminAccount(
            name: name,
            passwordHash: Bcrypt.hash(password, cost: bcryptCost),
            role: "global-admin",
            mustChangePassword: true,
            createdAt: now
        )
        // Another node may have created it in the meantime: then its password is the one that counts.
        return try await store.createAdmin(account) ? password : nil
    }

    /// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I): about 115 bits from the system CSPRNG.
    package static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}

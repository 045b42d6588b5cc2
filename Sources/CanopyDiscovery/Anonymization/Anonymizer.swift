import Crypto
import CryptoExtras
package import Foundation

/// Replaces user and device names with deterministic encrypted tokens, and resolves a token back with the key.
///
/// Each name is encrypted with AES-256-GCM-SIV (RFC 8452) under the tenant's key with a fixed nonce: the same name
/// always gives the same token (so reports still count distinct users), different names give different tokens,
/// and only the key holder can recover the name. GCM-SIV is built for this: reusing its nonce reveals only whether
/// two plaintexts are equal. Names are padded to a multiple of 16 bytes (ISO/IEC 7816-4: `0x80` then zeros) before
/// encryption, so a token does not reveal how long the name is. Tokens look like `anon-` followed by lowercase
/// base32.
package struct Anonymizer: Sendable {
    private let key: SymmetricKey
    private static let nonce: Data = Data(repeating: 0, count: 12)
    package static let prefix = "anon-"

    /// - Parameter keyData: a 32-byte key.
    package init?(keyData: Data) {
        guard keyData.count == 32 else { return nil }
        self.key = SymmetricKey(data: keyData)
    }

    /// A new random 32-byte key.
    package static func generateKey() -> Data {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
    }

    /// The token for a name.
    package func token(for name: String) -> String {
        guard let nonce = try? AES.GCM._SIV.Nonce(data: Self.nonce),
            let sealed = try? AES.GCM._SIV.seal(Self.pad(Data(name.utf8)), using: key, nonce: nonce)
        else {
            // Sealing with a valid 32-byte key and 12-byte nonce cannot fail; never leak the name if it did.
            return Self.prefix + "error"
        }
        return Self.prefix + Base32.encode(sealed.ciphertext + sealed.tag)
    }

    /// The name behind a token; nil when the token is malformed or was made with another key.
    package func name(for token: String) -> String? {
        guard token.hasPrefix(Self.prefix), let raw = Base32.decode(String(token.dropFirst(Self.prefix.count))),
            raw.count >= 16, let nonce = try? AES.GCM._SIV.Nonce(data: Self.nonce),
            let box = try? AES.GCM._SIV.SealedBox(
                nonce: nonce,
                ciphertext: raw.prefix(raw.count - 16),
                tag: raw.suffix(16)
            ),
            let plain = try? AES.GCM._SIV.open(box, using: key), let name = Self.unpad(plain)
        else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// `0x80` then zeros up to the next multiple of 16 bytes (always at least one byte of padding).
    static func pad(_ data: Data) -> Data {
        var out = data
        out.append(0x80)
        while out.count % 16 != 0 { out.append(0) }
        return out
    }

    /// Removes ``pad(_:)``'s padding; nil when it is malformed.
    static func unpad(_ data: Data) -> Data? {
        guard let marker = data.lastIndex(where: { $0 != 0 }), data[marker] == 0x80 else { return nil }
        return data[data.startIndex..<marker]
    }
}

/// RFC 4648 base32, lowercase, without padding.
package enum Base32 {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    package static func encode(_ data: Data) -> String {
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in data {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    package static func decode(_ text: String) -> Data? {
        var out = Data()
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.lowercased().utf8 {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            buffer = buffer << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}

import Crypto
import Foundation
import Glibc
package import NIOSSL
import SwiftASN1
import X509

/// The TLS certificate Canopy listens with (syslog over TLS; the HTTPS listener): PEM files the operator gives, or
/// a self-signed certificate generated on first use into the data directory.
///
/// A generated certificate is `tls/canopy.crt`; its private key is never written in clear: `tls/canopy.key.sealed`
/// holds it sealed with AES-256-GCM under the master key (which lives outside the database), mode 0600.
package enum ServerCertificate {
    /// A server TLS context accepting TLS 1.2 and later.
    ///
    /// - Parameters:
    ///   - certificatePath: a PEM certificate chain, leaf first; with `keyPath`, used instead of a generated one.
    ///   - keyPath: the PEM private key of that certificate.
    ///   - directory: where a generated certificate is kept.
    ///   - masterKey: the data directory's master key (seals the generated private key).
    /// - Returns: a context for `NIOSSLServerHandler`s.
    /// - Throws: ``ServerError`` when given files cannot be read or the sealed key does not open.
    package static func tlsContext(
        certificatePath: String? = nil,
        keyPath: String? = nil,
        directory: ServerDataDirectory,
        masterKey: [UInt8]
    ) throws -> NIOSSLContext {
        try NIOSSLContext(
            configuration: tlsConfiguration(
                certificatePath: certificatePath,
                keyPath: keyPath,
                directory: directory,
                masterKey: masterKey
            )
        )
    }

    /// The server TLS configuration behind ``tlsContext(certificatePath:keyPath:directory:masterKey:)`` (TLS 1.2
    /// and later), for listeners that build their own context (the HTTPS listener).
    package static func tlsConfiguration(
        certificatePath: String? = nil,
        keyPath: String? = nil,
        directory: ServerDataDirectory,
        masterKey: [UInt8]
    ) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        if let certificatePath, let keyPath {
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
                key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                throw ServerError("cannot read the TLS certificate \(certificatePath) or its key \(keyPath)")
            }
        } else {
            (chain, key) = try generated(in: directory, masterKey: masterKey)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// The generated certificate (PEM), created on first use.
    package static func generatedCertificatePath(in directory: ServerDataDirectory) -> String {
        directory.path + "/tls/canopy.crt"
    }

    private static func generated(
        in directory: ServerDataDirectory,
        masterKey: [UInt8]
    ) throws -> ([NIOSSLCertificate], NIOSSLPrivateKey) {
        let folder = directory.path + "/tls"
        let certificatePath = generatedCertificatePath(in: directory)
        let sealedPath = folder + "/canopy.key.sealed"
        let sealing = SymmetricKey(data: masterKey)
        let manager = FileManager.default
        if let sealed = manager.contents(atPath: sealedPath), manager.fileExists(atPath: certificatePath) {
            do {
                let pem = try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: sealing)
                return (
                    try NIOSSLCertificate.fromPEMFile(certificatePath),
                    try NIOSSLPrivateKey(bytes: Array(pem), format: .pem)
                )
            } catch {
                throw ServerError("\(sealedPath) does not open with the master key (refusing to replace it)")
            }
        }
        try manager.createDirectory(
            atPath: folder,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let privateKey = P256.Signing.PrivateKey()
        let certificatePEM: String
        do {
            let name = try DistinguishedName {
                CommonName("canopy")
                OrganizationName("Canopy (self-signed)")
            }
            let now = Date()
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: .init(privateKey.publicKey),
                notValidBefore: now.addingTimeInterval(-3_600),
                notValidAfter: now.addingTimeInterval(825 * 86_400),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames([.dnsName("localhost"), .dnsName(ProcessInfo.processInfo.hostName)])
                },
                issuerPrivateKey: .init(privateKey)
            )
            certificatePEM = try certificate.serializeAsPEM().pemString
        } catch {
            throw ServerError("cannot generate a TLS certificate: \(error)")
        }
        let keyPEM = Array(privateKey.pemRepresentation.utf8)
        let sealed = try AES.GCM.seal(keyPEM, using: sealing).combined ?? Data()
        try writeNew(sealedPath, Data(sealed), mode: 0o600)
        try writeNew(certificatePath, Data(certificatePEM.utf8), mode: 0o644)
        return (
            [try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)],
            try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        )
    }

    /// Writes a file that must not exist yet, with `mode`.
    private static func writeNew(_ path: String, _ data: Data, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ServerError("cannot create \(path)") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, data.count) }
        guard written == data.count, fsync(fd) == 0 else { throw ServerError("cannot write \(path)") }
    }
}

import CanopyCore
import PropertyBased
import Testing

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("10.1.2.3", "10.1.2.3"), ("2001:db8::1", "2001:db8::1"), ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::1", "::1"), ("::", "::"), ("::ffff:192.0.2.1", "::ffff:c000:201"), ("fe80::1%eth0", "fe80::1"),
        ("[2001:db8::5]", "2001:db8::5"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func parsesAndFormats(input: String, expected: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == expected)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", "gg::1", ":1", "1:",
    ])
    func rejectsMalformedAddresses(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test(arguments: [
        ("10.0.0.1", true), ("172.16.5.4", true), ("172.32.0.1", false), ("192.168.1.1", true), ("127.0.0.1", true),
        ("169.254.1.1", true), ("100.64.0.1", true), ("8.8.8.8", false), ("::1", true), ("fd00::1", true),
        ("fe80::1", true), ("2606:4700::1111", false), ("::ffff:10.0.0.1", true),
    ])
    func classifiesPrivateAddresses(input: String, isPrivate: Bool) throws {
        #expect(try #require(IPAddress(input)).isPrivateOrLocal == isPrivate)
    }

    @Test func rangesContainTheirAddresses() throws {
        let range = try #require(IPRange("52.96.0.0/14"))
        #expect(range.contains(try #require(IPAddress("52.97.1.2"))))
        #expect(!range.contains(try #require(IPAddress("52.100.0.1"))))
        #expect(range.contains(try #require(IPAddress("::ffff:52.96.0.9"))))
        let v6 = try #require(IPRange("2603:1000::/25"))
        #expect(v6.contains(try #require(IPAddress("2603:1006::1"))))
        #expect(IPRange("10.0.0.0/33") == nil)
    }

    @Test func everyIPv4AddressRoundTrips() async {
        await propertyCheck(input: Gen.uint32()) { value in
            let address = IPAddress(ipv4: value)
            #expect(IPAddress(address.description) == address)
        }
    }

    @Test func everyIPv6AddressRoundTrips() async {
        await propertyCheck(input: Gen.uint64(), Gen.uint64()) { high, low in
            let address = IPAddress(ipv6: UInt128(high) << 64 | UInt128(low))
            #expect(IPAddress(address.description) == address)
        }
    }
}

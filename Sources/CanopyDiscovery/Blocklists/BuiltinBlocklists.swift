/// Every block-list format Canopy writes, one line each.
package enum BuiltinBlocklists {
    package static let all: [any BlocklistGenerator.Type] = [
        SquidBlocklistGenerator.self,
        PaloAltoEDLBlocklistGenerator.self,
        FortiGateBlocklistGenerator.self,
        BlueCoatBlocklistGenerator.self,
        ZscalerBlocklistGenerator.self,
        CiscoASABlocklistGenerator.self,
        JuniperSRXBlocklistGenerator.self,
        DomainListBlocklistGenerator.self,
        RPZBlocklistGenerator.self,
    ]

    package static func named(_ id: String) -> (any BlocklistGenerator.Type)? {
        all.first { $0.descriptor.id == id }
    }
}

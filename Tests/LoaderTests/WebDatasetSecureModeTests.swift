import Loader
import Testing

/// `WDS_SECURE`: the usual boolean spellings are accepted, integers as the peer reads them, anything else refused.
@Suite("WDS_SECURE parsing")
struct WebDatasetSecureModeTests {
    @Test("on: 1, true, yes, on in any case, and non-zero integers", arguments: [
        "1", "true", "TRUE", "True", "yes", "YES", "on", "On", " 1 ", "true\n", "2", "-1", "007", "+3",
    ])
    func on(_ value: String) throws {
        #expect(try WebDatasetSecureMode.parse(value))
    }

    @Test("off: unset, empty, 0, false, no, off in any case", arguments: ["", " ", "0", "00", "false", "FALSE", "no", "No", "off", "OFF"])
    func off(_ value: String) throws {
        #expect(try !WebDatasetSecureMode.parse(value))
        #expect(try !WebDatasetSecureMode.parse(nil))
    }

    @Test("anything else is an error naming the variable and the value", arguments: ["maybe", "tru", "yes please", "1.0", "0x1", "enabled", "y"])
    func refused(_ value: String) {
        do {
            let parsed = try WebDatasetSecureMode.parse(value)
            Issue.record("WDS_SECURE='\(value)' was read as \(parsed)")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.description.hasPrefix("WDS_SECURE='\(value)' is not a boolean"), "\(error)")
            #expect(error.message.contains("WDS_SECURE='\(value)'"), "\(error)")
        }
    }

    @Test("the environment is read through the same rules")
    func environment() throws {
        #expect(try !WebDatasetSecureMode.fromEnvironment([:]))
        #expect(try WebDatasetSecureMode.fromEnvironment(["WDS_SECURE": "Yes"]))
        #expect(try !WebDatasetSecureMode.fromEnvironment(["WDS_SECURE": "off"]))
        #expect(throws: LoaderError.self) { try WebDatasetSecureMode.fromEnvironment(["WDS_SECURE": "sometimes"]) }
    }
}

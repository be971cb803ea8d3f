import Augment
import Foundation
import Testing

/// The one JSON value of the project: exact integers for WebDataset labels, doubles for drawn parameters.
@Suite("JSON value")
struct JSONValueTests {
    @Test func integralNumbersDecodeAsExactIntegersAndCompareByValue() throws {
        let value = try #require(JSONValue.parse(Array(#"{"a": 3, "b": 3.0, "c": 9007199254740993, "d": 2.5, "e": 1e20}"#.utf8)))
        guard case .object(let fields) = value else { Issue.record("not an object"); return }
        #expect(fields["a"] == .integer(3) && fields["b"] == .integer(3))
        #expect(fields["c"]?.integerValue == 9_007_199_254_740_993)  // beyond 2^53: exact only as an integer
        #expect(fields["d"] == .number(2.5) && fields["d"]?.integerValue == nil)
        #expect(fields["e"] == .number(1e20) && fields["e"]?.integerValue == nil)
        #expect(JSONValue.integer(3) == JSONValue.number(3) && JSONValue.numeric(4) == .integer(4))
        #expect(Set([JSONValue.integer(3), .number(3)]).count == 1)
        #expect(JSONValue.integer(3) != .string("3"))
    }

    @Test func textsRoundTripWithTheirKeyOrders() throws {
        let value = JSONValue.object(["children": .array([]), "b": .number(0.25), "op": .string("x"), "a": .integer(-7),
                                      "s": .string("q\"\n\u{1}")])
        #expect(value.description == #"{"op":"x","a":-7,"b":0.25,"s":"q\"\n\u0001","children":[]}"#)
        #expect(value.canonicalText == #"{"a":-7,"b":0.25,"children":[],"op":"x","s":"q\"\n\u0001"}"#)
        #expect(JSONValue.parse(Array(value.canonicalText.utf8)) == value)
        let encoded = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == value)
    }
}

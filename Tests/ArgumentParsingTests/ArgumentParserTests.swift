import ArgumentParsing
import Testing

@Suite("ArgumentParser")
struct ArgumentParserTests {
    let spec = CommandSpec(
        name: "decode", synopsis: "decode IN OUT",
        options: [.value("min-size", help: "m"), .value("tag", repeatable: true, help: "t"), .flag("quiet", help: "q")],
        positionals: 2...2)

    @Test func parsesValuesFlagsAndPositionalsInAnyOrder() throws {
        let parsed = try ArgumentParser.parse(["--min-size", "64x32", "in.jpg", "--quiet", "out.png"], spec: spec)
        #expect(parsed.positionals == ["in.jpg", "out.png"])
        #expect(parsed.value("min-size") == "64x32")
        #expect(parsed.flag("quiet"))
        #expect(!parsed.flag("verbose"))
    }

    @Test func acceptsEqualsFormAndRepeatedValues() throws {
        let parsed = try ArgumentParser.parse(["a", "b", "--min-size=1x2", "--tag", "x", "--tag=y"], spec: spec)
        #expect(parsed.value("min-size") == "1x2")
        #expect(parsed.values["tag"] == ["x", "y"])
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try ArgumentParser.parse(["--", "--weird-name.jpg", "out.png"], spec: spec)
        #expect(parsed.positionals == ["--weird-name.jpg", "out.png"])
    }

    @Test func negativeNumbersArePositionals() throws {
        let numeric = CommandSpec(name: "n", synopsis: "n X", positionals: 1...1)
        #expect(try ArgumentParser.parse(["-3"], spec: numeric).positionals == ["-3"])
    }

    @Test(arguments: [
        (["a", "b", "--nope"], "unknown option '--nope' for 'decode'"),
        (["a", "b", "--min-size"], "option '--min-size' needs a value"),
        (["a", "b", "--min-size", "1", "--min-size", "2"], "option '--min-size' given more than once"),
        (["a"], "'decode' needs 2 argument(s), got 1"),
        (["a", "b", "c"], "'decode' takes at most 2 argument(s); unexpected: c"),
        (["a", "b", "--quiet=yes"], "flag '--quiet' takes no value"),
        (["a", "b", "-q"], "unknown option '-q' (options are spelled --name)"),
    ])
    func rejectsBadCommandLines(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try ArgumentParser.parse(arguments, spec: spec) }
    }

    @Test func integerOptionsAreRangeChecked() throws {
        let numeric = CommandSpec(name: "n", synopsis: "n", options: [.value("seed", help: "s")], positionals: 0...0)
        #expect(try ArgumentParser.parse(["--seed", "7"], spec: numeric).integer("seed", in: 0...10) == 7)
        #expect(try ArgumentParser.parse([], spec: numeric).integer("seed") == nil)
        #expect(throws: UsageError("--seed expects an integer in 0...10, got '11'")) {
            try ArgumentParser.parse(["--seed", "11"], spec: numeric).integer("seed", in: 0...10)
        }
    }

    @Test(arguments: ["1e308", "-1e308", "nan", "NaN", "inf", "-inf", "infinity", "1e999", "11", "-0.5", "abc", ""])
    func numberOptionsRefuseNonFiniteAndOutOfRangeValues(text: String) {
        // `--degrees 1e308` and the like (issue 14, item 11): a usage error naming the option and the value.
        let numeric = CommandSpec(name: "n", synopsis: "n", options: [.value("degrees", help: "d")], positionals: 0...0)
        #expect(throws: UsageError("--degrees expects a finite number in 0.0...10.0, got '\(text)'")) {
            try ArgumentParser.parse(["--degrees", text], spec: numeric).number("degrees", in: 0...10)
        }
    }

    @Test func numberOptionsAcceptFiniteValuesInRange() throws {
        let numeric = CommandSpec(name: "n", synopsis: "n", options: [.value("rate", help: "r"), .value("list", help: "l")],
                                  positionals: 0...0)
        let parsed = try ArgumentParser.parse(["--rate", "3e-3", "--list", "0.25, 1,0.5"], spec: numeric)
        #expect(try parsed.number("rate", in: 0...10) == 0.003)
        #expect(try parsed.number("missing", in: 0...10) == nil)
        #expect(try parsed.numbers("list", separatedBy: ",", count: 1...4, in: 0...1) == [0.25, 1, 0.5])
        #expect(throws: UsageError("--list expects 2 finite numbers in 0.0...1.0 separated by ',', got '0.25, 1,0.5'")) {
            try parsed.numbers("list", separatedBy: ",", count: 2...2, in: 0...1)
        }
        for list in ["0.5,nan", "0.5,inf", "0.5,,1", "1e308", "0.5,2"] {
            #expect(throws: UsageError.self) {
                try ArgumentParser.parse(["--list", list], spec: numeric).numbers("list", separatedBy: ",", count: 1...4, in: 0...1)
            }
        }
    }

    @Test func usageListsEveryOption() {
        #expect(spec.usage.contains("usage: sgid decode IN OUT"))
        #expect(spec.usage.contains("--min-size VALUE"))
        #expect(spec.usage.contains("--quiet"))
    }
}

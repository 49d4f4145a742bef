using System.CommandLine;
using System.Globalization;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Cli;

/// <summary>What <c>--lambda</c> says: a fixed λ, or a rule that chooses it from the data (<see cref="ParameterRule"/>).</summary>
internal readonly record struct LambdaChoice(double? Value, ParameterRule? Rule);

/// <summary>The <c>--lambda L|gcv|weighted-gcv|discrepancy|lcurve</c> option of <c>convmat deconvolve</c>.</summary>
internal static class LambdaOption
{
    public static Option<LambdaChoice?> Create(string defaultDescription) =>
        new("--lambda")
        {
            Description = $"Tikhonov weight: a number L >= 0, or a rule that chooses it per sample by hybrid LSQR: gcv, weighted-gcv, discrepancy (needs the noise level: --noise-level, or estimated from y), lcurve. Default {defaultDescription}.",
            HelpName = "L|gcv|weighted-gcv|discrepancy|lcurve",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                {
                    if (double.IsFinite(value) && value >= 0) return new LambdaChoice(value, null);
                    r.AddError($"--lambda '{text}' must be a finite number >= 0 or one of gcv, weighted-gcv, discrepancy, lcurve");
                    return null;
                }
                foreach (var rule in Enum.GetValues<ParameterRule>())
                    if (string.Equals(text, Name(rule), StringComparison.OrdinalIgnoreCase))
                        return new LambdaChoice(null, rule);
                r.AddError($"--lambda '{text}' must be a finite number >= 0 or one of gcv, weighted-gcv, discrepancy, lcurve");
                return null;
            },
        };

    /// <summary>How the command line spells a rule: gcv, weighted-gcv, discrepancy, lcurve.</summary>
    public static string Name(ParameterRule rule) => rule == ParameterRule.LCurve ? "lcurve" : ValueParsers.CommandLineName(rule);
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using ConvAsMatrix;
using ConvAsMatrix.Tests.Blocked;
using ConvAsMatrix.Tests.Properties;
using FsCheck;
using FsCheck.Fluent;

// The kernel tests where xunit cannot run (ARM64 under qemu-user, tests/kernel-paths.sh): the same checks and tolerances
// (KernelChecks, linked from tests/ConvAsMatrix.Tests) over the same random geometries (GeometryArbitraries.KernelSpec:
// rank 1–3, conv and conv_transpose with output_padding, groups, stride, dilation, every padding style and mode, 1–9
// channels per group). Per geometry, on every path this process runs natively (each accelerated width and scalar, both
// tile shapes): V·x and Vᵀ·y and the weight gradient U(x)ᵀ·y of small integers exactly equal to the direct loops, real data within the rounding bound
// of the explicit CSR V, and the structured V compiled as a user would (KernelPath.Best) exactly equal to the direct
// loops; the first geometries also on the emulated widths; and the compiled path is the one expected.
//
//   ConvAsMatrix.KernelCheck [--cases N] [--emulated N] [--seed S] [--expect NAME]
//
// --expect (or CONVMAT_EXPECT_KERNEL_PATH) names the path the process must compile (vector128+fma on ARM64).
// Ends with the line "N passed, N failed"; exit code 1 when any check failed.

int cases = 300, emulatedCases = 10;
ulong seed = 20261206;
string? expected = Environment.GetEnvironmentVariable(KernelChecks.ExpectVariable);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--cases": cases = int.Parse(args[i + 1]); break;
        case "--emulated": emulatedCases = int.Parse(args[i + 1]); break;
        case "--seed": seed = ulong.Parse(args[i + 1]); break;
        case "--expect": expected = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: ConvAsMatrix.KernelCheck [--cases N] [--emulated N] [--seed S] [--expect NAME]");
    return 2;
}

var clock = Stopwatch.StartNew();
int passed = 0, failed = 0;
void Run(string name, Func<string?> check)
{
    string? failure;
    try { failure = check(); }
    catch (Exception e) { failure = e.ToString(); }
    if (failure is null) { passed++; return; }
    failed++;
    if (failed <= 30) Console.WriteLine($"FAILED {name}:{Environment.NewLine}  {failure.Replace(Environment.NewLine, Environment.NewLine + "  ")}");
}

Console.WriteLine($"kernel check: {RuntimeInformation.ProcessArchitecture}, {RuntimeInformation.FrameworkDescription}; " +
                  $"compiles {KernelChecks.Label(KernelPath.Best)}; native paths {string.Join(", ", KernelChecks.Native.Select(KernelChecks.Label))}; " +
                  $"emulated {(KernelChecks.Emulated.Length == 0 ? "none" : string.Join(", ", KernelChecks.Emulated.Select(KernelChecks.Label)))}");

Run("the compiled path follows the runtime's flags", KernelChecks.PathInconsistencies);
if (!string.IsNullOrEmpty(expected)) Run($"the compiled path is {expected}", () => KernelChecks.PathMismatches(expected));

var specs = GeometryArbitraries.KernelSpec.Sample(cases, new Rnd(seed), 10); // (count, seed, size): the ranges ignore size
Run($"{cases} geometries drawn", () => specs.Length == cases ? null : $"{specs.Length} drawn");
var best = new[] { KernelPath.Best };
for (int i = 0; i < specs.Length; i++)
{
    var s = specs[i];
    Run($"forward, exact, {s}", () => KernelChecks.ExactForward(s, KernelChecks.Native));
    Run($"adjoint, exact, {s}", () => KernelChecks.ExactAdjoint(s, KernelChecks.Native));
    Run($"forward and adjoint against the CSR V, {s}", () => KernelChecks.Bounded(s.Build(), s.Batch, KernelChecks.Native));
    Run($"structured V, exact, {s}", () => KernelChecks.ExactForward(s, best, structured: true) ?? KernelChecks.ExactAdjoint(s, best, structured: true));
    Run($"weight gradient, exact, {s}", () => KernelChecks.ExactWeightGradient(s, KernelChecks.Native));
    if (i < emulatedCases && KernelChecks.Emulated.Length > 0)
        Run($"emulated widths, exact, {s}", () => KernelChecks.ExactForward(s, KernelChecks.Emulated) ?? KernelChecks.ExactAdjoint(s, KernelChecks.Emulated)
            ?? KernelChecks.ExactWeightGradient(s, KernelChecks.Emulated));
    if ((i + 1) % 50 == 0) Console.WriteLine($"  {i + 1} geometries, {clock.Elapsed.TotalSeconds:F0} s");
}

// What the geometries covered: the kernels' cases must all be there (the arbitraries are shared with the xunit properties).
Console.WriteLine("covered: " + string.Join(", ",
    $"rank 1/2/3 {Count(s => s.Rank == 1)}/{Count(s => s.Rank == 2)}/{Count(s => s.Rank == 3)}",
    $"conv_transpose {Count(s => s.Kind == SpecKind.ConvTranspose)}",
    $"output_padding > 0 {Count(s => s.OutputPaddings.Any(p => p > 0))}",
    $"groups > 1 {Count(s => s.Groups > 1)}",
    $"stride > 1 {Count(s => s.Strides.Any(x => x > 1))}",
    $"dilation > 1 {Count(s => s.Dilations.Any(x => x > 1))}",
    $"4-channel tiles {Count(s => s.OutPerGroup >= 4 || s.InPerGroup >= 4)}",
    string.Join(" ", Enum.GetValues<PaddingMode>().Select(m => $"{m} {Count(s => s.Mode == m)}")),
    string.Join(" ", Enum.GetValues<PaddingStyle>().Select(p => $"{p} {Count(s => s.Style == p)}"))));
Run("every rank, kind, padding mode and style, groups, stride, dilation, output_padding and tile covered", () =>
    cases < 100 || (new[] { 1, 2, 3 }.All(r => Count(s => s.Rank == r) > 0) && Enum.GetValues<PaddingMode>().All(m => Count(s => s.Mode == m) > 0)
        && Enum.GetValues<PaddingStyle>().All(p => Count(s => s.Style == p) > 0) && Count(s => s.Kind == SpecKind.ConvTranspose) > 0
        && Count(s => s.OutputPaddings.Any(p => p > 0)) > 0 && Count(s => s.Groups > 1) > 0 && Count(s => s.Strides.Any(x => x > 1)) > 0
        && Count(s => s.Dilations.Any(x => x > 1)) > 0 && Count(s => s.OutPerGroup >= 4) > 0 && Count(s => s.InPerGroup >= 4) > 0)
        ? null : "some case never drawn: raise --cases");

Console.WriteLine($"kernel check took {clock.Elapsed.TotalSeconds:F0} s");
Console.WriteLine($"{passed} passed, {failed} failed");
return failed == 0 && passed > 0 ? 0 : 1;

int Count(Func<GeometrySpec, bool> predicate) => specs.Count(predicate);

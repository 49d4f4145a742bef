// A consumer of the ConvAsMatrix packages: runs each package README's example and prints one line per check,
// "PASS name: what was seen" or "FAIL name: what was seen"; the exit code is the number of failed checks.
//   Consumer ONNX_MODEL ONNX_INPUT_NPY
using Consumer;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Consumer ONNX_MODEL ONNX_INPUT_NPY");
    return 2;
}

int failed = 0;
void Check(string name, Func<(bool Ok, string Seen)> run)
{
    var (ok, seen) = (false, "");
    try { (ok, seen) = run(); }
    catch (Exception e) { seen = $"{e.GetType().Name}: {e.Message}"; }
    Console.WriteLine($"{(ok ? "PASS" : "FAIL")} {name}: {seen}");
    if (!ok) failed++;
}

Check("readme-example", () =>
{
    var (V, same, y, yt, z, zt) = ReadmeExample.Run();
    bool functional = y.SequenceEqual(yt.Data) && z.SequenceEqual(zt.Data);
    return ((V.RowCount, V.ColumnCount, V.NonZerosCount) == (27, 50, 294) && same && functional,
        $"V {V.RowCount}x{V.ColumnCount} with {V.NonZerosCount} entries, Vᵀ·y equals the direct scatter: {same}, Functional equals V: {functional}");
});

Check("onnx-verification", () =>
{
    var layers = OnnxExample.Run(args[0], args[1]);
    return (layers.Count > 0 && layers.All(l => l.Agrees), $"{layers.Count(l => l.Agrees)} of {layers.Count} layers agree with V in ONNX Runtime");
});

Check("suitesparse-solve", () =>
{
    double error = SuiteSparseExample.Run();
    return (error < 1e-10, $"max |x − V⁻¹·(V·x)| = {error:g3} by the package's direct solver");
});

return failed;

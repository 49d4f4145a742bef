using System.Globalization;
using ConvAsMatrix.Interop;
using ConvAsMatrix.Solvers;
using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// Choosing λ: on one of the library's own blur test problems, small enough for a dense SVD of V, the GCV function and
/// the L-curve are drawn over λ, and each rule's λ (GCV's minimum, the discrepancy principle's root, the L-curve's corner)
/// is checked against an independent computation; hybrid LSQR, from Krylov steps alone, finds the discrepancy principle's
/// λ of the dense SVD and the dense Tikhonov solution at it.
/// </summary>
public sealed class ChoosingLambda : Proof
{
    public override ExplorerQuery Explore => new() { Input = [Size, Size], Kernel = [9, 9], Padding = "4", Mode = PaddingMode.Reflect };

    /// <summary>The image side: V is 576 × 576, so a dense SVD and dense normal equations are quick.</summary>
    public const int Size = 24;

    /// <summary>Relative noise ‖e‖/‖V·x‖ of the problem.</summary>
    public const double NoiseLevel = 0.01;

    /// <summary>τ of the discrepancy principle (IR Tools' 1.01).</summary>
    public const double Tau = 1.01;

    /// <summary>The λ grid of the curves: 10 a decade from 1e-7 to 1e-1.</summary>
    public static IReadOnlyList<double> Grid { get; } = Enumerable.Range(0, 61).Select(i => Math.Pow(10, -7 + i / 10.0)).ToArray();

    /// <summary>The test problem (the library's <see cref="BlurProblem"/>: piecewise-constant phantom, Gaussian blur, reflecting boundary, 1 % noise).</summary>
    public static BlurProblem Problem() => BlurProblem.Create(Phantoms.PiecewiseConstant(Size), StandardBlurs.Gaussian.Kernel, BlurBoundary.Reflect, NoiseLevel, seed: 1);

    /// <inheritdoc/>
    public override string Claim => "Choosing λ: the GCV minimum, the discrepancy principle's root and the L-curve's corner, from the SVD of V, are what they claim to be; hybrid LSQR finds the discrepancy λ and its Tikhonov solution from Krylov steps alone.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        var p = Problem();
        var v = ConvolutionMatrix<double>.Compile(p.Kernel, p.Geometry);
        var a = Matrix<double>.Build.DenseOfMatrix(v.ToMathNet());
        int m = a.RowCount;
        page.Say($"A {Size}×{Size} piecewise-constant image (the library's Phantoms.PiecewiseConstant) is blurred by the standard\n" +
                 $"Gaussian ({StandardBlurs.Gaussian.Name}) with reflecting boundaries and white noise of {NoiseLevel:P0} of ‖V·x‖ is added\n" +
                 $"(BlurProblem.Create, seed 1): σ = {p.NoiseSigma:G4} per pixel. V is {m}×{a.ColumnCount}, small enough for a dense SVD, so every\n" +
                 "curve below is exact: with V = Σσ_i u_i v_iᵀ and c_i = u_iᵀy, the Tikhonov solution x_λ = argmin ‖Vx − y‖² + λ‖x‖²\n" +
                 "has filter factors f_i = σ_i²/(σ_i² + λ), ‖Vx_λ − y‖² = Σ(1 − f_i)²c_i² + ‖y_⊥‖², ‖x_λ‖² = Σ(f_i c_i/σ_i)² and\n" +
                 "GCV(λ) = ‖Vx_λ − y‖²/(m − Σf_i)².");

        var svd = a.Svd(computeVectors: true);
        var c = svd.U.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(p.Observed)).ToArray();
        double total = p.Observed.Sum(t => t * t), inside = c.Sum(t => t * t);
        var spectrum = new TikhonovSpectrum(svd.S.ToArray(), c, Math.Max(0, total - inside), m);
        double[] Solution(double lambda)
        {
            var coefficients = spectrum.SolutionCoefficients(lambda);
            return (svd.VT.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(coefficients))).ToArray();
        }

        page.Heading("The rules, from the SVD");
        double target = Tau * p.NoiseSigma * Math.Sqrt(m);
        double gcv = spectrum.GcvLambda(), corner = spectrum.LCurveLambda();
        double discrepancy = spectrum.DiscrepancyLambda(target) ?? double.NaN;
        var psnr = Grid.Select(l => p.Psnr(Solution(l))).ToArray();
        int bestIndex = Array.IndexOf(psnr, psnr.Max());
        double best = Grid[bestIndex];
        var x = new double[a.ColumnCount];
        var hybrid = HybridLsqr.Solve(LinearOperator.From(v), p.Observed, x, new HybridLsqrOptions { Rule = ParameterRule.Discrepancy, NoiseSigma = p.NoiseSigma, MaxIterations = 400 });
        var hybridGcv = HybridLsqr.Solve(LinearOperator.From(v), p.Observed, new double[a.ColumnCount], new HybridLsqrOptions { Rule = ParameterRule.Gcv, MaxIterations = 400 });
        var rows = new (string Rule, double Lambda)[]
        {
            ("GCV (minimum of GCV(λ))", gcv),
            ($"discrepancy principle, τ = {Tau}", discrepancy),
            ("L-curve (largest curvature)", corner),
            ("hybrid LSQR, discrepancy principle", hybrid.Lambda),
            ("hybrid LSQR, GCV (IR Tools' kind of default)", hybridGcv.Lambda),
            ("best on the grid (needs the truth)", best),
        };
        page.Table(["rule", "λ", "‖Vx_λ − y‖ / (σ√m)", "PSNR (dB)"],
            rows.Select(r => (IReadOnlyList<string>)[r.Rule, F(r.Lambda, "E3"), F(Math.Sqrt(spectrum.ResidualSquared(r.Lambda)) / (p.NoiseSigma * Math.Sqrt(m)), "F3"), F(p.Psnr(Solution(r.Lambda)), "F2")]).ToList());
        page.Say($"\nThe blurred, noisy data have PSNR {F(p.Psnr(p.Observed), "F2")} dB. Every rule improves on them; none needs the truth,\n" +
                 "which the last row uses to show how close each comes. The discrepancy principle aims at a misfit of τσ√m; the λ\n" +
                 "that is best for this image has a different misfit, which is why no rule of the misfit alone can always hit it\n" +
                 "(docs/solvers.md measures all the test problems).");

        var rho = Grid.Select(l => Math.Sqrt(spectrum.ResidualSquared(l))).ToArray();
        var eta = Grid.Select(l => Math.Sqrt(spectrum.SolutionNormSquared(l))).ToArray();
        var g = Grid.Select(l => spectrum.Gcv(l)).ToArray();
        CurveFigure.Mark Mark(string label, double lambda, Func<double, double> xOf, Func<double, double> yOf) => new(label, xOf(lambda), yOf(lambda));
        double Rho(double l) => Math.Sqrt(spectrum.ResidualSquared(l));
        double Eta(double l) => Math.Sqrt(spectrum.SolutionNormSquared(l));
        var marked = new (string Label, double Lambda)[] { ("GCV", gcv), ("discrepancy", discrepancy), ("L-curve corner", corner), ("best", best) };
        page.Figure(new CurveFigure(
            $"The L-curve of the {Size}×{Size} test problem: ‖x_λ‖ against ‖Vx_λ − y‖ for λ from 1e-7 (top left) to 1e-1 (bottom right), from the dense SVD, with the λ of each rule.",
            "‖Vx_λ − y‖", "‖x_λ‖", logX: true, logY: true,
            [new CurveFigure.Curve("L-curve", rho, eta)],
            marked.Select(t => Mark(t.Label, t.Lambda, Rho, Eta)).ToList()));
        page.Figure(new CurveFigure(
            "The GCV function ‖Vx_λ − y‖²/(m − Σf_i)² over λ, from the dense SVD; GCV chooses its minimum.",
            "λ", "GCV(λ)", logX: true, logY: true,
            [new CurveFigure.Curve("GCV(λ)", Grid, g)],
            marked.Select(t => Mark(t.Label, t.Lambda, l => l, l => spectrum.Gcv(l))).ToList()));
        page.Figure(new CurveFigure(
            "PSNR of x_λ against the truth over λ: what the rules try to maximise without seeing the truth.",
            "λ", "PSNR (dB)", logX: true, logY: false,
            [new CurveFigure.Curve("PSNR(x_λ)", Grid, psnr)],
            marked.Select(t => Mark(t.Label, t.Lambda, l => l, l => p.Psnr(Solution(l)))).ToList()));
        page.Figure(new ImageFigure("The truth, the data, and x_λ for the discrepancy principle's λ and GCV's.",
        [
            new("truth", "", p.Truth, Size, Size),
            new("blurred + noise", $"PSNR {F(p.Psnr(p.Observed), "F2")} dB", p.Observed, Size, Size),
            new("discrepancy", $"PSNR {F(p.Psnr(Solution(discrepancy)), "F2")} dB", Solution(discrepancy), Size, Size),
            new("GCV", $"PSNR {F(p.Psnr(Solution(gcv)), "F2")} dB", Solution(gcv), Size, Size),
        ]));

        page.Heading("Checks against independent paths");
        // Dense normal equations (VᵀV + λI)x = Vᵀy and the explicit influence matrix, not the SVD.
        var normal = a.TransposeThisAndMultiply(a);
        var vty = a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(p.Observed));
        (double Residual, double Trace, Vector<double> X) Explicit(double lambda, bool trace = false)
        {
            var cholesky = (normal + lambda * Matrix<double>.Build.DenseIdentity(a.ColumnCount)).Cholesky();
            var solution = cholesky.Solve(vty);
            var r = a * solution - Vector<double>.Build.DenseOfArray(p.Observed);
            return (r.L2Norm(), trace ? m - (a * cholesky.Solve(a.Transpose())).Trace() : double.NaN, solution);
        }
        foreach (double lambda in new[] { 1e-5, gcv, 1e-2 })
        {
            var e = Explicit(lambda, trace: true);
            double explicitGcv = e.Residual * e.Residual / (e.Trace * e.Trace);
            page.Check($"GCV({F(lambda, "E2")}) from the SVD, {F(spectrum.Gcv(lambda), "E6")}, is ‖Vx − y‖²/trace(I − V(VᵀV + λI)⁻¹Vᵀ)² from the normal equations (to 1e-8)",
                Math.Abs(spectrum.Gcv(lambda) - explicitGcv) <= 1e-8 * explicitGcv);
        }
        page.Check($"GCV's λ = {F(gcv, "E3")} is the minimum: no λ of the {Grid.Count}-point grid has a smaller GCV value", g.All(value => value >= spectrum.Gcv(gcv) * (1 - 1e-12)));
        var atDiscrepancy = Explicit(discrepancy);
        page.Check($"at the discrepancy principle's λ = {F(discrepancy, "E3")} the normal equations' x has ‖Vx − y‖ = τσ√m = {F(target, "G6")} (to 1e-8)",
            Math.Abs(atDiscrepancy.Residual - target) <= 1e-8 * target);
        // The curvature by central differences of the curve (log ρ, log η) on a fine grid: its maximum lies next to the corner.
        double Curvature(double u)
        {
            const double h = 1e-3;
            (double X, double Y) At(double t) => (Math.Log(Rho(Math.Exp(t))), Math.Log(Eta(Math.Exp(t))));
            var (lo, mid, hi) = (At(u - h), At(u), At(u + h));
            double x1 = (hi.X - lo.X) / (2 * h), y1 = (hi.Y - lo.Y) / (2 * h), x2 = (hi.X - 2 * mid.X + lo.X) / (h * h), y2 = (hi.Y - 2 * mid.Y + lo.Y) / (h * h);
            return (x1 * y2 - y1 * x2) / Math.Pow(x1 * x1 + y1 * y1, 1.5);
        }
        var fine = Enumerable.Range(0, 601).Select(i => Math.Log(1e-7) + i * Math.Log(1e6) / 600).ToArray();
        double sharpest = fine.MaxBy(Curvature);
        page.Check($"the L-curve's corner λ = {F(corner, "E3")} is where the curve, differentiated numerically, bends most (there: {F(Math.Exp(sharpest), "E3")}, within 2 % in log λ)",
            Math.Abs(Math.Log(corner) - sharpest) <= 0.02 * Math.Abs(Math.Log(1e6)));
        page.Check($"hybrid LSQR (discrepancy principle, {hybrid.Iterations} Golub–Kahan steps, {hybrid.Status}) finds λ = {F(hybrid.Lambda, "E4")}, the dense SVD's {F(discrepancy, "E4")} (to 1e-4)",
            hybrid.Status == SolverStatus.Converged && Math.Abs(hybrid.Lambda - discrepancy) <= 1e-4 * discrepancy);
        var dense = Explicit(hybrid.Lambda).X;
        double difference = (Vector<double>.Build.DenseOfArray(x) - dense).L2Norm() / dense.L2Norm();
        page.Check($"hybrid LSQR's x is the Tikhonov solution of the normal equations at its λ: relative difference {F(difference, "E2")} ≤ 1e-6", difference <= 1e-6);
        page.Check("every rule's x_λ is sharper than the data (PSNR above the data's)", rows.Take(5).All(r => p.Psnr(Solution(r.Lambda)) > p.Psnr(p.Observed)));
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

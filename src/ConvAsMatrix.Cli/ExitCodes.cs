namespace ConvAsMatrix.Cli;

/// <summary>The exit codes of <c>convmat</c>, a contract for scripts.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>A check the command makes failed (the example's equalities), or an internal error — a bug to report.</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown or malformed option, an invalid geometry, a missing or malformed file, shapes that disagree. One line on stderr says what.</summary>
    public const int BadInput = 2;
}

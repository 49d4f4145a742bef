namespace ConvAsMatrix.Cli;

/// <summary>Bad input the command line itself detects (the library reports its own as <see cref="ArgumentException"/>); exit code 2.</summary>
/// <param name="message">One line naming the option and what is wrong with its value.</param>
public sealed class UsageException(string message) : Exception(message);

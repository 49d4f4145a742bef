namespace ConvAsMatrix.Fuzz;

/// <summary>
/// One fuzz target: a parser driven by arbitrary bytes, the exceptions its contract documents, and the heap it
/// may allocate for an input. <see cref="Check"/> is the property every input must satisfy.
/// </summary>
/// <remarks>
/// The property: the parser returns, or throws one of <see cref="Documented"/> (FileFormatException,
/// ArgumentException, ...); anything else escapes and afl-fuzz records the input as a crash. The managed heap
/// allocated on this thread while parsing (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) must stay within
/// <see cref="AllocationBound"/> — a fixed allowance plus a multiple of the input's length, plus what the
/// parsed result itself justifies — so a header claiming 10^12 elements cannot make the reader allocate them.
/// A hang is afl-fuzz's to detect (<c>-t 1000</c>).
/// </remarks>
/// <param name="Name">The name on the command line and of the corpus folder.</param>
/// <param name="Parse">Runs the parser on the input; returns what it parsed (or null), throws on bad input.</param>
/// <param name="Documented">The exception types the parser's contract allows.</param>
/// <param name="AllocationBound">The bytes the parse may allocate for this input and the result it returned (null after a documented exception).</param>
public sealed record FuzzTarget(string Name, Func<byte[], object?> Parse, Type[] Documented, Func<byte[], object?, long> AllocationBound)
{
    /// <summary>Runs the parser on <paramref name="input"/> and enforces the property.</summary>
    /// <returns>What the parser returned, or null when it threw a documented exception.</returns>
    /// <exception cref="FuzzPropertyException">The parse allocated more than its bound.</exception>
    public object? Check(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        long before = GC.GetAllocatedBytesForCurrentThread();
        object? result = null;
        try
        {
            result = Parse(input);
        }
        catch (Exception e) when (Documented.Any(t => t.IsInstanceOfType(e)))
        {
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long bound = AllocationBound(input, result);
        if (allocated > bound)
            throw new FuzzPropertyException($"{Name}: allocated {allocated} bytes for a {input.Length}-byte input; the bound is {bound}");
        return result;
    }
}

/// <summary>An input broke a fuzz target's property (beyond throwing an undocumented exception, which escapes as itself).</summary>
public sealed class FuzzPropertyException(string message) : Exception(message);

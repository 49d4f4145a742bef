#!/usr/bin/python3
"""PyTorch side of BENCHMARKS.md: torch conv and conv_transpose (float64 and/or float32) on workloads W1-W6.

The shapes mirror src/ConvAsMatrix/Benchmarks/Workload.cs (the one definition the C# side uses). For every
workload, batch 1 and 16, and 1 and all threads, it times:
  conv   -- the workload's forward convolution V.x   (for W2: conv2d with the tconv's weight, the forward conv it transposes)
  tconv  -- its transpose V^T.y                       (for W2: the DCGAN conv_transpose2d itself)
  wgrad  -- the weight gradient, with --ops wgrad: torch.nn.grad.conv{1,2,3}d_weight(x, w.shape, g) (for W2, a
            transposed conv: autograd's weight gradient of conv_transpose2d(y, w) for an output gradient g of x's
            shape, torch.ops.aten.convolution_backward(g, y, w, ..., transposed=True, output_mask=[False, True, False]),
            what autograd calls); x and g are the same data ConvAsMatrix's WeightGradientBenchmarks use in shape and range
and prints one JSON array on stdout: {"workload", "batch", "threads", "op", "dtype", "seconds", "cpu_seconds"}: the
median wall seconds, and the median CPU seconds of the process per call (on 1 thread, robust to a busy machine).
Each thread count runs in its own process with OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set before torch is imported:
torch.set_num_threads alone does not limit OpenBLAS's own threads (measured: "1 thread" conv_transpose2d used 2 cores,
CPU time = 2 x wall). float64 runs im2col + OpenBLAS GEMM (the "slow_conv" kernels); float32 runs oneDNN (MKL-DNN, OpenMP).
Usage: /usr/bin/python3 pytorch_bench.py [--repeats N] [--workload W1,...] [--batch 1,16] [--threads 1,2] [--dtype float64,float32]
                                        [--ops conv,tconv,wgrad] (default conv,tconv)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# name: (spatial rank, input shape of the forward conv, weight shape (Cout, Cin/g, *k), stride, padding)
# For W2 the forward conv is the one conv_transpose2d(1x64x32x32, w 64x32x4x4, stride 2, padding 1) transposes:
# input 1x32x64x64 -> output 1x64x32x32.
WORKLOADS = {
    "W1": (2, (1, 512, 512), (1, 1, 5, 5), 1, 2),
    "W2": (2, (32, 64, 64), (64, 32, 4, 4), 2, 1),
    "W3": (2, (32, 56, 56), (32, 32, 3, 3), 1, 1),
    "W4": (3, (4, 32, 32, 32), (4, 4, 3, 3, 3), 1, 1),
    "W5": (2, (256, 14, 14), (256, 256, 3, 3), 1, 1),
    "W6": (2, (64, 224, 224), (64, 64, 3, 3), 1, 1),
}


def median_seconds(call, repeats):
    """Median wall seconds and median CPU seconds of the process (all its threads) per call."""
    call()  # warm-up: allocator, thread pool
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    # W5 and W6 (the structured suite) on request: W6 at batch 16 takes minutes.
    parser.add_argument("--workload", default="W1,W2,W3,W4")
    parser.add_argument("--batch", default="1,16")
    parser.add_argument("--threads", default=f"1,{os.cpu_count()}")
    parser.add_argument("--dtype", default="float64", help="float64, float32 or a comma list")
    parser.add_argument("--ops", default="conv,tconv", help="conv, tconv, wgrad or a comma list")
    args = parser.parse_args()
    for o in args.ops.split(","):
        if o not in ("conv", "tconv", "wgrad"):
            parser.error(f"--ops {o!r} is not conv, tconv or wgrad")
    for d in args.dtype.split(","):
        if d not in ("float64", "float32"):
            parser.error(f"--dtype {d!r} is not float64 or float32")
    thread_counts = args.threads.split(",")
    if len(thread_counts) > 1 or os.environ.get("OPENBLAS_NUM_THREADS") != thread_counts[0]:
        # One child per thread count, so that OpenBLAS starts with that many threads.
        results = []
        for n in thread_counts:
            env = dict(os.environ, OPENBLAS_NUM_THREADS=n, OMP_NUM_THREADS=n)
            child = subprocess.run([sys.executable, __file__, "--repeats", str(args.repeats), "--workload", args.workload,
                                    "--batch", args.batch, "--threads", n, "--dtype", args.dtype, "--ops", args.ops],
                                   env=env, check=True, capture_output=True, text=True)
            sys.stderr.write(child.stderr)
            results += json.loads(child.stdout)
        results.sort(key=lambda r: (list(WORKLOADS).index(r["workload"]), r["dtype"], r["batch"], r["threads"], r["op"]))
        print(json.dumps(results))
        return
    results = []
    for dtype in args.dtype.split(","):
        results += run(args, dtype)
    print(json.dumps(results))


def weight_gradient(torch, name, x, y, g, weight):
    """The call that times the weight gradient of workload name: torch.nn.grad.conv{1,2,3}d_weight(x, w.shape, g) for a
    conv (g of y's shape); for W2, a transposed conv whose input is y, autograd's weight gradient of
    conv_transpose2d(y, w) for an output gradient g of x's shape, which is convolution_backward(transposed=True)."""
    rank, _, _, stride, padding = WORKLOADS[name]
    if name == "W2":
        return lambda: torch.ops.aten.convolution_backward(g, y, weight, None, [stride] * rank, [padding] * rank, [1] * rank, True,
                                                           [0] * rank, 1, [False, True, False])[1]
    conv_weight = {1: torch.nn.grad.conv1d_weight, 2: torch.nn.grad.conv2d_weight, 3: torch.nn.grad.conv3d_weight}[rank]
    return lambda: conv_weight(x, weight.shape, g, stride=stride, padding=padding)


def run(args, dtype_name):
    """Every workload, batch and thread count of args in one dtype, in this process (torch is imported here, after
    main has set OPENBLAS_NUM_THREADS and OMP_NUM_THREADS for it)."""
    import torch
    import torch.nn.functional as F
    conv = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
    conv_t = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
    dtype = {"float64": torch.float64, "float32": torch.float32}[dtype_name]
    torch.manual_seed(0)
    results = []
    for name in args.workload.split(","):
        rank, in_shape, w_shape, stride, padding = WORKLOADS[name]
        weight = torch.rand(w_shape, dtype=dtype) * 2 - 1
        for batch in map(int, args.batch.split(",")):
            x = torch.rand((batch,) + in_shape, dtype=dtype) * 2 - 1
            with torch.no_grad():
                y = conv[rank](x, weight, stride=stride, padding=padding)
                # The transposed conv must give back x's shape exactly (output_padding when stride drops a remainder).
                z = conv_t[rank](y, weight, stride=stride, padding=padding) if "tconv" in args.ops.split(",") else x
                assert z.shape == x.shape, (name, z.shape, x.shape)
                # The output gradient: y's shape for a conv, x's for W2's conv_transpose2d (whose input is y).
                g = torch.rand((y if name != "W2" else x).shape, dtype=dtype) * 2 - 1
                for threads in map(int, args.threads.split(",")):
                    torch.set_num_threads(threads)
                    ops = {
                        "conv": lambda: conv[rank](x, weight, stride=stride, padding=padding),
                        "tconv": lambda: conv_t[rank](y, weight, stride=stride, padding=padding),
                        "wgrad": weight_gradient(torch, name, x, y, g, weight),
                    }
                    for op in args.ops.split(","):
                        call = ops[op]
                        seconds, cpu_seconds = median_seconds(call, args.repeats)
                        results.append({"workload": name, "batch": batch, "threads": threads, "op": op, "dtype": dtype_name,
                                        "seconds": seconds, "cpu_seconds": cpu_seconds})
                        print(json.dumps(results[-1]), file=sys.stderr)
    return results


if __name__ == "__main__":
    main()

# Data-parallel gradient all-reduce of a 1.3 B-parameter model, in buckets, as
# PyTorch DDP does it (its default bucket_cap_mb = 25).
#
#   parameters     1.3 B = 1,300,000,000
#   gradient bytes 2 per parameter (bf16)      -> 2,600,000,000 bytes per step
#   bucket         25 MiB = 26,214,400 bytes
#   full buckets   floor(2,600,000,000 / 26,214,400) = 99   (99 x 26,214,400 = 2,595,225,600)
#   last bucket    2,600,000,000 - 2,595,225,600 = 4,774,400 bytes (the remainder)
#
# collroof has no bf16 datatype: the buckets are summed as float (dtype=float),
# with exactly the bf16 gradients' bytes; the bytes on the wire are the same.
# comm=dp with no layout line: every rank is one data-parallel replica (dp = world).
# gap_us=0: the all-reduces back to back, the communication of the step alone.
# To put backward compute between buckets, set gap_us to the time the backward
# pass takes per bucket (6 FLOPs per parameter per token x tokens per step x
# parameters per bucket / your FLOP/s).
# Run: mpirun -np N collroof --workload dp-buckets-1.3b.wl
collroof-workload 1
name dp-buckets-1.3b
call allreduce 25M comm=dp count=99 gap_us=0 dtype=float
call allreduce 4774400 comm=dp count=1 gap_us=0 dtype=float

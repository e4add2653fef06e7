#!/usr/bin/env bash
# scripts/gpu-kit.sh OUTDIR — packs `npm run bench:gpu` for a bare Linux x86-64 machine with a GPU driver (NVIDIA or
# any Vulkan one) but no Node, npm or network. OUTDIR gets two files:
#   kit.tar.xz  this machine's node (stripped), bench/gpu.ts and bench/step-profile.ts as esbuild bundles, TF.js's wasm binaries, the
#               `webgpu` package's Dawn module (dawn.node), the converted realesr-general-x4v3 weights, the stage-1
#               R, LPIPS-alex (models/lpips, the product's own copy) and Debian's libvulkan.so.1 (used only where the machine has no
#               Vulkan loader); realesrgan-x4plus only when the kit stays under 60 MiB with it (it does not:
#               ~30 MB compressed on ~44 MB);
#   run.sh      unpacks to /tmp (tar + xz, or python3 where xz is missing), finds a Vulkan ICD and runs the
#               benchmark with the issue's sizes; its arguments go to bench/gpu.ts (e.g. --runs 5); `run.sh profile
#               [args]` runs bench/step-profile.ts instead (e.g. --crops 16).
# Needs: npm ci done here (models converted, webgpu installed), strip and xz.
set -euo pipefail
OUT=${1:?usage: scripts/gpu-kit.sh OUTDIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LPIPS_DIR=${LWAY_LPIPS_DIR:-$ROOT/models/lpips}
LIMIT_MIB=60
cd "$ROOT"

for f in models/realesr-general-x4v3/weights.json models/lway-degradation/x4/weights.json \
  node_modules/webgpu/dist/linux-x64/dawn.node "$LPIPS_DIR/alex.weights.json"; do
  [ -e "$f" ] || { echo "gpu-kit: $f is missing (run npm ci)" >&2; exit 1; }
done

STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
K=$STAGE/kit
mkdir -p "$K/bin" "$K/lib" "$K/models" "$K/lpips" "$K/node_modules/webgpu/dist/linux-x64"

# Node: this machine's binary without its debug symbols (99 -> 86 MB, 22 MB once compressed).
strip -o "$K/bin/node" "$(command -v node)"

# One bundle; only the native module stays outside. The banner gives the ESM bundle the CommonJS names that
# TF.js's wasm backend (its Node build) uses to find its .wasm files beside the script.
BANNER="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
for entry in gpu step-profile; do
  npx esbuild "bench/$entry.ts" --bundle --platform=node --format=esm --target=node20 --log-level=warning \
    --external:webgpu --outfile="$K/bench-$entry.mjs" --banner:js="$BANNER"
done
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm \
  node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm "$K/"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js node_modules/webgpu/LICENSE.md "$K/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$K/node_modules/webgpu/dist/linux-x64/"
# (the package's index.js needs only node: built-ins and dawn.node; its `debug` dependency is for its build tools)

# Weights.
mkdir -p "$K/models/realesr-general-x4v3" "$K/models/lway-degradation/x4"
cp models/realesr-general-x4v3/weights.{json,bin} "$K/models/realesr-general-x4v3/"
cp models/lway-degradation/x4/weights.{json,bin} models/lway-degradation/x4/clean-gate.json "$K/models/lway-degradation/x4/"
cp "$LPIPS_DIR"/alex.weights.{json,bin} "$LPIPS_DIR"/LICENSE-*.txt "$K/lpips/"

# The Vulkan loader from Debian's libvulkan1, for machines whose driver came without one.
cp -L /usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$K/lib/libvulkan.so.1"
# An ICD manifest for NVIDIA's driver, for containers that mount the driver's libraries but not its JSON.
cat >"$K/lib/nvidia_icd.json" <<'JSON'
{ "file_format_version": "1.0.0", "ICD": { "library_path": "libGLX_nvidia.so.0", "api_version": "1.3.0" } }
JSON

pack() { tar -C "$STAGE" -cf - kit | xz -T1 -6 >"$STAGE/kit.tar.xz"; }
pack
# x4plus only if it still fits: its fp16 weights barely compress, so their own xz size tells (no second full pack
# unless they go in).
if [ -e models/realesrgan-x4plus/weights.bin ]; then
  base=$(stat -c %s "$STAGE/kit.tar.xz")
  extra=$(xz -T1 -6 -c models/realesrgan-x4plus/weights.bin | wc -c)
  if [ $((base + extra + 131072)) -le $((LIMIT_MIB * 1048576)) ]; then
    mkdir -p "$K/models/realesrgan-x4plus"
    cp models/realesrgan-x4plus/weights.{json,bin} "$K/models/realesrgan-x4plus/"
    pack
  else
    echo "gpu-kit: realesrgan-x4plus left out: $((base / 1048576)) MiB + $((extra / 1048576)) MiB of its weights > $LIMIT_MIB MiB" >&2
  fi
fi

mkdir -p "$OUT"
cp "$STAGE/kit.tar.xz" "$OUT/kit.tar.xz"
cat >"$OUT/run.sh" <<'RUN'
#!/usr/bin/env bash
# LWay bench:gpu kit: unpacks to /tmp and prints the GPU benchmark table (JSON and Markdown stay in the work dir).
# Needs bash, tar, xz (or python3) and a Vulkan driver. Arguments go to the benchmark (e.g. --runs 5; see
# bench/gpu.ts). WORK=/somewhere overrides the work dir.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/lway-gpu-kit}
rm -rf "$WORK"
mkdir -p "$WORK"
if xz --version >/dev/null 2>&1; then
  xz -dc "$HERE/kit.tar.xz" | tar -C "$WORK" -xf -
else
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$HERE/kit.tar.xz" "$WORK"
fi
K=$WORK/kit

# The Vulkan loader: the system's, else the kit's.
has_loader=no
for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /lib64 /usr/lib /usr/local/lib; do
  [ -e "$d/libvulkan.so.1" ] && has_loader=yes && break
done
if [ "$has_loader" = no ]; then
  export LD_LIBRARY_PATH=$K/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  echo "run.sh: no system Vulkan loader, using the kit's (Debian libvulkan1)" >&2
fi
# An ICD: the system's manifests, else the manifest of a driver mounted under /usr/local/nvidia (containers that
# mount the driver there), else NVIDIA's driver library through the kit's manifest.
NV_ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1 \
  && [ -e "$NV_ICD" ]; then
  export VK_ICD_FILENAMES=$NV_ICD
  [ -d /usr/local/nvidia/lib64 ] && export LD_LIBRARY_PATH=/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  echo "run.sh: using the mounted driver's ICD $NV_ICD" >&2
fi
if [ -z "${VK_ICD_FILENAMES:-}" ] && ! ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json >/dev/null 2>&1; then
  for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64; do
    if [ -e "$d/libGLX_nvidia.so.0" ]; then
      export VK_ICD_FILENAMES=$K/lib/nvidia_icd.json
      export LD_LIBRARY_PATH=$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
      echo "run.sh: no Vulkan ICD manifest, using NVIDIA's driver in $d" >&2
      break
    fi
  done
fi
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2 || true

cd "$K"
# `run.sh profile [args]`: where one adaptation step's time goes (bench/step-profile.ts) instead of the table.
if [ "${1:-}" = profile ]; then
  shift
  exec "$K/bin/node" "$K/bench-step-profile.mjs" --models-dir "$K/models" --lpips-dir "$K/lpips" "$@"
fi
models=realesr-general-x4v3
[ -e "$K/models/realesrgan-x4plus/weights.json" ] && models=$models,realesrgan-x4plus
exec "$K/bin/node" "$K/bench-gpu.mjs" --models "$models" --models-dir "$K/models" \
  --lpips-dir "$K/lpips" --out "$WORK/bench-gpu" "$@"
RUN
chmod +x "$OUT/run.sh"
total=$(du -cb "$OUT/kit.tar.xz" "$OUT/run.sh" | tail -1 | cut -f1)
echo "gpu-kit: $OUT ($((total / 1048576)) MiB: $(cd "$STAGE" && du -sh kit/bin/node kit/bench-gpu.mjs kit/node_modules kit/models kit/lpips kit/lib | tr '\t\n' ' '))"
[ "$total" -le $((LIMIT_MIB * 1048576)) ] || { echo "gpu-kit: over $LIMIT_MIB MiB" >&2; exit 1; }

;; PDQ hot loops in WebAssembly: RGB → luma and the Jarosz box-filter passes.
;;
;; Why: the reference computes in IEEE float32, and JavaScript only has float64, so the TypeScript
;; path (pdq-hasher.ts) rounds with Math.fround after every operation; that is exact but slow.
;; WebAssembly has native f32 and f32x4 arithmetic with IEEE round-to-nearest-even and no fused
;; multiply-add, so these kernels compute the very same float32 values in the same order, several
;; times faster. pdq-kernels.test.ts checks them bit for bit against the TypeScript path.
;;
;; Build: `npm run build:pdq-wasm` assembles this file into pdq-kernels.wasm (committed).
;; All pointers are byte offsets into the exported memory; float buffers are 4-byte aligned.
(module
  (memory (export "memory") 1)

  ;; ---------------------------------------------------------------- luma
  ;; luma = (0.299·R + 0.587·G) + 0.114·B in float32, for 3-byte pixels, four pixels a step.
  ;; (Signed conversion: the bytes are 0–255 either way, and it is one instruction on x64.)
  ;; Reads up to 4 bytes past the last pixel: the caller leaves that much room.
  (func (export "luma_rgb3") (param $src i32) (param $n i32) (param $dst i32)
    (local $k i32) (local $groups i32) (local $v v128)
    (local.set $groups (i32.shr_u (local.get $n) (i32.const 2)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $k) (local.get $groups)))
        (local.set $v (v128.load align=1 (i32.add (local.get $src) (i32.mul (local.get $k) (i32.const 12)))))
        (v128.store align=4
          (i32.add (local.get $dst) (i32.shl (local.get $k) (i32.const 4)))
          (f32x4.add
            (f32x4.add
              (f32x4.mul
                (f32x4.splat (f32.const 0.299))
                (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (v128.const i8x16 0 16 16 16 3 16 16 16 6 16 16 16 9 16 16 16))))
              (f32x4.mul
                (f32x4.splat (f32.const 0.587))
                (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (v128.const i8x16 1 16 16 16 4 16 16 16 7 16 16 16 10 16 16 16)))))
            (f32x4.mul
              (f32x4.splat (f32.const 0.114))
              (f32x4.convert_i32x4_s (i8x16.swizzle (local.get $v) (v128.const i8x16 2 16 16 16 5 16 16 16 8 16 16 16 11 16 16 16))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $step)))
    ;; the last n mod 4 pixels
    (call $luma_rgb_scalar
      (i32.add (local.get $src) (i32.mul (i32.shl (local.get $groups) (i32.const 2)) (i32.const 3)))
      (i32.and (local.get $n) (i32.const 3))
      (i32.const 3)
      (i32.add (local.get $dst) (i32.shl (local.get $groups) (i32.const 4)))))

  ;; The same, one pixel at a time, for any number of channels (≥ 3; the rest are ignored).
  (func $luma_rgb_scalar (export "luma_rgb") (param $src i32) (param $n i32) (param $channels i32) (param $dst i32)
    (local $i i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f32.store
          (local.get $dst)
          (f32.add
            (f32.add
              (f32.mul (f32.const 0.299) (f32.convert_i32_u (i32.load8_u (local.get $src))))
              (f32.mul (f32.const 0.587) (f32.convert_i32_u (i32.load8_u offset=1 (local.get $src)))))
            (f32.mul (f32.const 0.114) (f32.convert_i32_u (i32.load8_u offset=2 (local.get $src))))))
        (local.set $src (i32.add (local.get $src) (local.get $channels)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $step))))

  ;; Grey values are the luma as they are.
  (func (export "luma_grey") (param $src i32) (param $n i32) (param $channels i32) (param $dst i32)
    (local $i i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f32.store (local.get $dst) (f32.convert_i32_u (i32.load8_u (local.get $src))))
        (local.set $src (i32.add (local.get $src) (local.get $channels)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $step))))

  ;; ---------------------------------------------------------------- box filter along rows
  ;; One row: a float32 running sum (add the entering sample, subtract the leaving one) divided by
  ;; the current window, clipped at the edges. Phases as in the reference: half−1 adds without
  ;; output, win−half+1 adds with output, len−win slides, half−1 drops.
  (func $box_row1 (param $src i32) (param $dst i32) (param $len i32) (param $win i32)
    (local $half i32) (local $i i32) (local $sum f32) (local $size f32) (local $li i32)
    (local.set $half (i32.shr_s (i32.add (local.get $win) (i32.const 2)) (i32.const 1)))
    (local.set $li (local.get $src))
    (local.set $i (i32.sub (local.get $half) (i32.const 1)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32.add (local.get $sum) (f32.load (local.get $src))))
      (local.set $size (f32.add (local.get $size) (f32.const 1)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l1)))
    (local.set $i (i32.add (i32.sub (local.get $win) (local.get $half)) (i32.const 1)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32.add (local.get $sum) (f32.load (local.get $src))))
      (local.set $size (f32.add (local.get $size) (f32.const 1)))
      (f32.store (local.get $dst) (f32.div (local.get $sum) (local.get $size)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l2)))
    (local.set $i (i32.sub (local.get $len) (local.get $win)))
    (block $d3 (loop $l3
      (br_if $d3 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32.sub (f32.add (local.get $sum) (f32.load (local.get $src))) (f32.load (local.get $li))))
      (f32.store (local.get $dst) (f32.div (local.get $sum) (local.get $size)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $li (i32.add (local.get $li) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l3)))
    (local.set $i (i32.sub (local.get $half) (i32.const 1)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32.sub (local.get $sum) (f32.load (local.get $li))))
      (local.set $size (f32.sub (local.get $size) (f32.const 1)))
      (f32.store (local.get $dst) (f32.div (local.get $sum) (local.get $size)))
      (local.set $li (i32.add (local.get $li) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l4))))

  ;; Four rows at once, one per f32x4 lane: each running sum is a serial chain, so the lanes give
  ;; the parallelism. Lanes are gathered from and scattered to the four rows.
  (func $box_rows4 (param $src i32) (param $dst i32) (param $stride i32) (param $len i32) (param $win i32)
    (local $half i32) (local $i i32) (local $sum v128) (local $size v128) (local $one v128)
    (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $li i32) (local $o i32) (local $q v128)
    (local.set $half (i32.shr_s (i32.add (local.get $win) (i32.const 2)) (i32.const 1)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $s1 (local.get $stride))
    (local.set $s2 (i32.shl (local.get $stride) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $stride)))
    (local.set $li (local.get $src))
    (local.set $i (i32.sub (local.get $half) (i32.const 1)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load32_lane 3 (i32.add (local.get $src) (local.get $s3)) (v128.load32_lane 2 (i32.add (local.get $src) (local.get $s2)) (v128.load32_lane 1 (i32.add (local.get $src) (local.get $s1)) (v128.load32_zero (local.get $src)))))))
      (local.set $size (f32x4.add (local.get $size) (local.get $one)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l1)))
    (local.set $i (i32.add (i32.sub (local.get $win) (local.get $half)) (i32.const 1)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32x4.add (local.get $sum) (v128.load32_lane 3 (i32.add (local.get $src) (local.get $s3)) (v128.load32_lane 2 (i32.add (local.get $src) (local.get $s2)) (v128.load32_lane 1 (i32.add (local.get $src) (local.get $s1)) (v128.load32_zero (local.get $src)))))))
      (local.set $size (f32x4.add (local.get $size) (local.get $one)))
      (local.set $q (f32x4.div (local.get $sum) (local.get $size)))
      (v128.store32_lane 0 (local.get $dst) (local.get $q))
      (v128.store32_lane 1 (i32.add (local.get $dst) (local.get $s1)) (local.get $q))
      (v128.store32_lane 2 (i32.add (local.get $dst) (local.get $s2)) (local.get $q))
      (v128.store32_lane 3 (i32.add (local.get $dst) (local.get $s3)) (local.get $q))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l2)))
    (local.set $i (i32.sub (local.get $len) (local.get $win)))
    (block $d3 (loop $l3
      (br_if $d3 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum
        (f32x4.sub
          (f32x4.add (local.get $sum) (v128.load32_lane 3 (i32.add (local.get $src) (local.get $s3)) (v128.load32_lane 2 (i32.add (local.get $src) (local.get $s2)) (v128.load32_lane 1 (i32.add (local.get $src) (local.get $s1)) (v128.load32_zero (local.get $src))))))
          (v128.load32_lane 3 (i32.add (local.get $li) (local.get $s3)) (v128.load32_lane 2 (i32.add (local.get $li) (local.get $s2)) (v128.load32_lane 1 (i32.add (local.get $li) (local.get $s1)) (v128.load32_zero (local.get $li)))))))
      (local.set $q (f32x4.div (local.get $sum) (local.get $size)))
      (v128.store32_lane 0 (local.get $dst) (local.get $q))
      (v128.store32_lane 1 (i32.add (local.get $dst) (local.get $s1)) (local.get $q))
      (v128.store32_lane 2 (i32.add (local.get $dst) (local.get $s2)) (local.get $q))
      (v128.store32_lane 3 (i32.add (local.get $dst) (local.get $s3)) (local.get $q))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $li (i32.add (local.get $li) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l3)))
    (local.set $i (i32.sub (local.get $half) (i32.const 1)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $sum (f32x4.sub (local.get $sum) (v128.load32_lane 3 (i32.add (local.get $li) (local.get $s3)) (v128.load32_lane 2 (i32.add (local.get $li) (local.get $s2)) (v128.load32_lane 1 (i32.add (local.get $li) (local.get $s1)) (v128.load32_zero (local.get $li)))))))
      (local.set $size (f32x4.sub (local.get $size) (local.get $one)))
      (local.set $q (f32x4.div (local.get $sum) (local.get $size)))
      (v128.store32_lane 0 (local.get $dst) (local.get $q))
      (v128.store32_lane 1 (i32.add (local.get $dst) (local.get $s1)) (local.get $q))
      (v128.store32_lane 2 (i32.add (local.get $dst) (local.get $s2)) (local.get $q))
      (v128.store32_lane 3 (i32.add (local.get $dst) (local.get $s3)) (local.get $q))
      (local.set $li (i32.add (local.get $li) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l4))))

  ;; Every row of a rows×cols float matrix.
  (func (export "box_rows") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $win i32)
    (local $r i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.gt_s (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
      (call $box_rows4 (local.get $src) (local.get $dst) (local.get $stride) (local.get $cols) (local.get $win))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $stride) (i32.const 2))))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $stride) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $l4)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_s (local.get $r) (local.get $rows)))
      (call $box_row1 (local.get $src) (local.get $dst) (local.get $cols) (local.get $win))
      (local.set $src (i32.add (local.get $src) (local.get $stride)))
      (local.set $dst (i32.add (local.get $dst) (local.get $stride)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $l1))))

  ;; ---------------------------------------------------------------- box filter along columns
  ;; All columns at once, four a vector: one running sum per column kept in `sums`, each column
  ;; seeing exactly the reference's sequence of operations. Helpers handle one row of the sweep:
  ;; vector part over the first bytes & ~15, then the remaining columns one by one.

  ;; sums += a
  (func $cols_add (param $sums i32) (param $a i32) (param $bytes i32)
    (local $j i32) (local $vbytes i32)
    (local.set $vbytes (i32.and (local.get $bytes) (i32.const -16)))
    (block $dv (loop $lv
      (br_if $dv (i32.ge_u (local.get $j) (local.get $vbytes)))
      (v128.store (i32.add (local.get $sums) (local.get $j))
        (f32x4.add (v128.load (i32.add (local.get $sums) (local.get $j))) (v128.load align=4 (i32.add (local.get $a) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $lv)))
    (block $ds (loop $ls
      (br_if $ds (i32.ge_u (local.get $j) (local.get $bytes)))
      (f32.store (i32.add (local.get $sums) (local.get $j))
        (f32.add (f32.load (i32.add (local.get $sums) (local.get $j))) (f32.load (i32.add (local.get $a) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $ls))))

  ;; sums += a; out = sums / size
  (func $cols_add_out (param $sums i32) (param $a i32) (param $out i32) (param $bytes i32) (param $size f32)
    (local $j i32) (local $vbytes i32) (local $s v128) (local $vsize v128) (local $f f32)
    (local.set $vbytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $vsize (f32x4.splat (local.get $size)))
    (block $dv (loop $lv
      (br_if $dv (i32.ge_u (local.get $j) (local.get $vbytes)))
      (local.set $s (f32x4.add (v128.load (i32.add (local.get $sums) (local.get $j))) (v128.load align=4 (i32.add (local.get $a) (local.get $j)))))
      (v128.store (i32.add (local.get $sums) (local.get $j)) (local.get $s))
      (v128.store align=4 (i32.add (local.get $out) (local.get $j)) (f32x4.div (local.get $s) (local.get $vsize)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $lv)))
    (block $ds (loop $ls
      (br_if $ds (i32.ge_u (local.get $j) (local.get $bytes)))
      (local.set $f (f32.add (f32.load (i32.add (local.get $sums) (local.get $j))) (f32.load (i32.add (local.get $a) (local.get $j)))))
      (f32.store (i32.add (local.get $sums) (local.get $j)) (local.get $f))
      (f32.store (i32.add (local.get $out) (local.get $j)) (f32.div (local.get $f) (local.get $size)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $ls))))

  ;; sums = (sums + a) − b; out = sums / size
  (func $cols_slide_out (param $sums i32) (param $a i32) (param $b i32) (param $out i32) (param $bytes i32) (param $size f32)
    (local $j i32) (local $vbytes i32) (local $s v128) (local $vsize v128) (local $f f32)
    (local.set $vbytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $vsize (f32x4.splat (local.get $size)))
    (block $dv (loop $lv
      (br_if $dv (i32.ge_u (local.get $j) (local.get $vbytes)))
      (local.set $s
        (f32x4.sub
          (f32x4.add (v128.load (i32.add (local.get $sums) (local.get $j))) (v128.load align=4 (i32.add (local.get $a) (local.get $j))))
          (v128.load align=4 (i32.add (local.get $b) (local.get $j)))))
      (v128.store (i32.add (local.get $sums) (local.get $j)) (local.get $s))
      (v128.store align=4 (i32.add (local.get $out) (local.get $j)) (f32x4.div (local.get $s) (local.get $vsize)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $lv)))
    (block $ds (loop $ls
      (br_if $ds (i32.ge_u (local.get $j) (local.get $bytes)))
      (local.set $f
        (f32.sub
          (f32.add (f32.load (i32.add (local.get $sums) (local.get $j))) (f32.load (i32.add (local.get $a) (local.get $j))))
          (f32.load (i32.add (local.get $b) (local.get $j)))))
      (f32.store (i32.add (local.get $sums) (local.get $j)) (local.get $f))
      (f32.store (i32.add (local.get $out) (local.get $j)) (f32.div (local.get $f) (local.get $size)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $ls))))

  ;; sums −= b; out = sums / size
  (func $cols_drop_out (param $sums i32) (param $b i32) (param $out i32) (param $bytes i32) (param $size f32)
    (local $j i32) (local $vbytes i32) (local $s v128) (local $vsize v128) (local $f f32)
    (local.set $vbytes (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $vsize (f32x4.splat (local.get $size)))
    (block $dv (loop $lv
      (br_if $dv (i32.ge_u (local.get $j) (local.get $vbytes)))
      (local.set $s (f32x4.sub (v128.load (i32.add (local.get $sums) (local.get $j))) (v128.load align=4 (i32.add (local.get $b) (local.get $j)))))
      (v128.store (i32.add (local.get $sums) (local.get $j)) (local.get $s))
      (v128.store align=4 (i32.add (local.get $out) (local.get $j)) (f32x4.div (local.get $s) (local.get $vsize)))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $lv)))
    (block $ds (loop $ls
      (br_if $ds (i32.ge_u (local.get $j) (local.get $bytes)))
      (local.set $f (f32.sub (f32.load (i32.add (local.get $sums) (local.get $j))) (f32.load (i32.add (local.get $b) (local.get $j)))))
      (f32.store (i32.add (local.get $sums) (local.get $j)) (local.get $f))
      (f32.store (i32.add (local.get $out) (local.get $j)) (f32.div (local.get $f) (local.get $size)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $ls))))

  ;; Every column of a rows×cols float matrix; `sums` is scratch for cols floats (16-byte aligned).
  (func (export "box_cols") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $win i32) (param $sums i32)
    (local $half i32) (local $i i32) (local $bytes i32) (local $size f32) (local $li i32)
    (local.set $half (i32.shr_s (i32.add (local.get $win) (i32.const 2)) (i32.const 1)))
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $sums) (i32.const 0) (local.get $bytes))
    (local.set $li (local.get $src))
    (local.set $i (i32.sub (local.get $half) (i32.const 1)))
    (block $d1 (loop $l1
      (br_if $d1 (i32.le_s (local.get $i) (i32.const 0)))
      (call $cols_add (local.get $sums) (local.get $src) (local.get $bytes))
      (local.set $size (f32.add (local.get $size) (f32.const 1)))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l1)))
    (local.set $i (i32.add (i32.sub (local.get $win) (local.get $half)) (i32.const 1)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $size (f32.add (local.get $size) (f32.const 1)))
      (call $cols_add_out (local.get $sums) (local.get $src) (local.get $dst) (local.get $bytes) (local.get $size))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l2)))
    (local.set $i (i32.sub (local.get $rows) (local.get $win)))
    (block $d3 (loop $l3
      (br_if $d3 (i32.le_s (local.get $i) (i32.const 0)))
      (call $cols_slide_out (local.get $sums) (local.get $src) (local.get $li) (local.get $dst) (local.get $bytes) (local.get $size))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $li (i32.add (local.get $li) (local.get $bytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l3)))
    (local.set $i (i32.sub (local.get $half) (i32.const 1)))
    (block $d4 (loop $l4
      (br_if $d4 (i32.le_s (local.get $i) (i32.const 0)))
      (local.set $size (f32.sub (local.get $size) (f32.const 1)))
      (call $cols_drop_out (local.get $sums) (local.get $li) (local.get $dst) (local.get $bytes) (local.get $size))
      (local.set $li (i32.add (local.get $li) (local.get $bytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br $l4))))
)

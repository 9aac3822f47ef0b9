/**
 * DICOM in and out, plain Java (no CDI), PixelMed inside and nothing of it in the public API.
 *
 * <p>In: {@link io.scanenhancer.dicom.SourceImage#read(byte[])} accepts CT, MR, enhanced and legacy-converted
 * enhanced CT/MR and grayscale secondary capture objects, MONOCHROME1/2, 8 or 16 bits allocated, signed or unsigned,
 * any Bits Stored, single- or multi-frame, in implicit/explicit little endian, explicit big endian, deflated, RLE and
 * 8-bit JPEG baseline. Everything else is refused with a {@link io.scanenhancer.dicom.RefusedInputException} whose
 * reason names the problem (and never carries PHI). Before any parsing, {@code ElementLengthScan} checks every encoded
 * length against the bytes present and the header's Rows x Columns x Frames x Bits Allocated against the Pixel Data
 * actually there, so a hostile header cannot make the reader allocate what it claims.
 *
 * <p>Out: {@link io.scanenhancer.dicom.DerivedImageWriter} writes the enhancer's real-world values back in the
 * source's stored representation (rounded, clamped, Rescale kept), the same SOP class and study, a new deterministic
 * series and instance ({@link io.scanenhancer.dicom.DerivedUids}), exact geometry for the finer grid
 * ({@link io.scanenhancer.dicom.DerivedGeometry}) and the derivation recorded: Image Type DERIVED, Derivation
 * Description and Code (113085 Spatial resampling), Source Image Sequence (121322), Referenced Series Sequence,
 * Contributing Equipment (109103 Modifying Equipment, Device UID per model version), Series Description
 * "... AI-enhanced 2x NOT FOR DIAGNOSTIC USE", the out-of-distribution flag in Image Comments, lossy history kept.
 *
 * <p>{@link io.scanenhancer.dicom.Deidentifier} applies the PS3.15 basic profile for research exports.
 */
package io.scanenhancer.dicom;

package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.SourceImage.PixelFormat;
import io.scanenhancer.image.EnhancedImage;
import io.scanenhancer.image.FloatImage;
import io.scanenhancer.image.SpreadMethod;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the derived object (PS3.3 C.7.6.1 General Image, C.12.1 SOP Common, C.12.4 Common Instance Reference):
 * same SOP class and study as the source, a new deterministic series and instance, pixels converted back to the
 * source's stored representation, geometry exact for the finer grid, and the derivation recorded.
 */
public final class DerivedImageWriter {
    /** DCM codes; CID 7203 Image Derivation, CID 7013 purpose of reference, CID 7005 contributing equipment. */
    static final String[] SPATIAL_RESAMPLING = {"113085", "DCM", "Spatial resampling"};
    static final String[] SOURCE_FOR_PROCESSING = {"121322", "DCM", "Source image for image processing operation"};
    static final String[] MODIFYING_EQUIPMENT = {"109103", "DCM", "Modifying Equipment"};
    static final String MANUFACTURER = "Scan Enhancer";

    /**
     * @param seriesNumberOffset added to the source's Series Number with the derivation's slot (see {@link DerivedSeries})
     *                           so the derived series sorts after it; the uncertainty series 1000 above that
     * @param settings           the key settings in short form for the Series Description (e.g. "ddim1 seed0"); may be null
     * @param samples            posterior samples averaged into the derived series (1: a single draw)
     * @param spreadFactor       the calibration factor the uncertainty series' spread was multiplied by (1: none)
     * @param spreadMethod       how the uncertainty series' spread was made
     */
    public record Options(int seriesNumberOffset, String settings, int samples, double spreadFactor, SpreadMethod spreadMethod) {
        public Options(int seriesNumberOffset) {
            this(seriesNumberOffset, null, 1);
        }

        public Options(int seriesNumberOffset, String settings, int samples) {
            this(seriesNumberOffset, settings, samples, 1.0, SpreadMethod.POSTERIOR);
        }

        public static Options defaults() {
            return new Options(1000);
        }
    }

    private DerivedImageWriter() {
    }

    public static DerivedObject write(SourceImage source, List<EnhancedImage> frames, Derivation derivation) {
        return write(source, frames, derivation, Options.defaults());
    }

    public static DerivedObject write(SourceImage source, List<EnhancedImage> frames, Derivation derivation, Options options) {
        int s = derivation.scale();
        if (frames.size() != source.frameCount()) {
            throw new IllegalArgumentException(frames.size() + " enhanced frames for " + source.frameCount() + " source frames");
        }
        for (EnhancedImage e : frames) {
            FloatImage img = e.image();
            if (img.height() != source.rows() * s || img.width() != source.columns() * s) {
                throw new IllegalArgumentException("enhanced frame is " + img.height() + "x" + img.width() + ", expected "
                        + source.rows() * s + "x" + source.columns() * s);
            }
        }
        DerivedSeries series = DerivedSeries.enhanced(derivation, options.seriesNumberOffset(), options.settings(), options.samples());
        return build(source, derivation, series, out -> putPixels(out, source, frames), frames);
    }

    /**
     * The uncertainty object: the same source, geometry and references as {@link #write}, holding the per-pixel
     * spread (posterior sd or self-test error, see SpreadMethod) in the source's value units (after its rescale).
     * Stored as unsigned 16 bit with Rescale Slope = the value of one stored step and Rescale Intercept 0, so value = stored x slope, within
     * slope / 2; the slope is in the object, and Image Comments say what the values are.
     *
     * @param derivation the enhanced series' derivation; {@link Derivation#uncertainty} is applied here
     */
    public static DerivedObject writeUncertainty(SourceImage source, List<EnhancedImage> frames, Derivation derivation, int samples) {
        return writeUncertainty(source, frames, derivation, samples, Options.defaults());
    }

    /** @param options those of the enhanced series this one accompanies */
    public static DerivedObject writeUncertainty(SourceImage source, List<EnhancedImage> frames, Derivation derivation, int samples,
                                                 Options options) {
        if (source.hasFunctionalGroups()) {
            throw new IllegalArgumentException("an uncertainty series is made for single-frame and plain multi-frame sources; "
                    + source.sopClassUid() + " carries per-frame functional groups");
        }
        if (frames.size() != source.frameCount()) {
            throw new IllegalArgumentException(frames.size() + " enhanced frames for " + source.frameCount() + " source frames");
        }
        DerivedSeries series = DerivedSeries.uncertainty(derivation, options.seriesNumberOffset(), options.settings(), samples);
        return build(source, derivation.uncertainty(samples, options.spreadFactor(), options.spreadMethod()), series, out -> putSpreadPixels(out, frames), frames);
    }

    private interface PixelWriter {
        void put(AttributeList out) throws DicomException;
    }

    private static DerivedObject build(SourceImage source, Derivation derivation, DerivedSeries series, PixelWriter pixels,
                                       List<EnhancedImage> frames) {
        int s = derivation.scale();
        AttributeList out = source.copyOfHeader();
        boolean enhanced = source.hasFunctionalGroups();
        String seriesUid = DerivedUids.seriesUid(source.seriesInstanceUid(), derivation);
        String instanceUid = DerivedUids.instanceUid(source.sopInstanceUid(), derivation);
        try {
            removeWhatNoLongerApplies(out);
            pixels.put(out);
            DerivedGeometry.apply(out, source, s);
            putIdentity(out, source, derivation, series, seriesUid, instanceUid);
            putDerivation(out, source, derivation, frames, enhanced);
            putLossyCompressionHistory(out, source);
            FileMetaInformation.addFileMetaInformation(out, TransferSyntaxes.EXPLICIT_LE, "SCANENHANCER");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            out.write(bytes, TransferSyntaxes.EXPLICIT_LE, true, true);
            return new DerivedObject(seriesUid, instanceUid, bytes.toByteArray());
        } catch (DicomException | IOException e) {
            throw new IllegalStateException("could not write the derived object for " + source.sopInstanceUid() + ": " + e.getMessage(), e);
        }
    }

    private static void removeWhatNoLongerApplies(AttributeList out) {
        out.removeMetaInformationHeaderAttributes();
        out.removeGroupLengthAttributes();
        // Private attributes may describe the source pixels (sizes, offsets, vendor maps) and cannot be kept correct.
        out.removePrivateAttributes();
        out.removeOverlayAttributes();
        out.removeCurveAttributes();
        for (AttributeTag t : new AttributeTag[] {TagFromName.PixelData, TagFromName.IconImageSequence, TagFromName.PixelPaddingValue,
                TagFromName.PixelPaddingRangeLimit, new AttributeTag(0x0028, 0x0108), new AttributeTag(0x0028, 0x0109),
                TagFromName.DataSetTrailingPadding, TagFromName.InstanceCreationDate, TagFromName.InstanceCreationTime,
                TagFromName.PlanarConfiguration, TagFromName.PixelDataProviderURL, TagFromName.ImageComments,
                TagFromName.DerivationDescription, TagFromName.DerivationCodeSequence, TagFromName.SourceImageSequence,
                TagFromName.ReferencedInstanceSequence}) {
            out.remove(t);
        }
    }

    private static void putPixels(AttributeList out, SourceImage source, List<EnhancedImage> frames) throws DicomException {
        PixelFormat f = source.format();
        int min = f.minStored(), max = f.maxStored();
        int perFrame = frames.get(0).image().pixels().length;
        int total = perFrame * frames.size();
        short[] words = f.bitsAllocated() == 16 ? new short[total] : null;
        byte[] bytes = f.bitsAllocated() == 8 ? new byte[total + (total % 2)] : null;
        int lowest = Integer.MAX_VALUE, highest = Integer.MIN_VALUE;
        for (int fr = 0; fr < frames.size(); fr++) {
            float[] real = frames.get(fr).image().pixels();
            double slope = source.rescaleSlope(fr), intercept = source.rescaleIntercept(fr);
            for (int i = 0; i < real.length; i++) {
                int v = StoredValues.toStored(real[i], slope, intercept, min, max);
                lowest = Math.min(lowest, v);
                highest = Math.max(highest, v);
                int at = fr * perFrame + i;
                if (words != null) {
                    words[at] = (short) v; // two's complement: sign-extended above Bits Stored for signed data
                } else {
                    bytes[at] = (byte) v;
                }
            }
        }
        if (words != null) {
            OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
            a.setValues(words);
            out.put(a);
        } else {
            OtherByteAttribute a = new OtherByteAttribute(TagFromName.PixelData);
            a.setValues(bytes);
            out.put(a);
        }
        boolean hadRange = out.get(TagFromName.SmallestImagePixelValue) != null || out.get(TagFromName.LargestImagePixelValue) != null;
        out.remove(TagFromName.SmallestImagePixelValue);
        out.remove(TagFromName.LargestImagePixelValue);
        if (hadRange) {
            // VR is US or SS by Pixel Representation; PixelMed's dictionary says US/SS, so pick the class explicitly.
            out.put(StoredValues.pixelValueAttribute(TagFromName.SmallestImagePixelValue, lowest, f.signed()));
            out.put(StoredValues.pixelValueAttribute(TagFromName.LargestImagePixelValue, highest, f.signed()));
        }
    }

    /** Unsigned 16 bit, one slope per object: the largest spread maps to 65000 stored steps. */
    private static void putSpreadPixels(AttributeList out, List<EnhancedImage> frames) throws DicomException {
        double max = 0;
        for (EnhancedImage e : frames) {
            if (e.uncertainty() == null) {
                throw new IllegalArgumentException("a frame has no posterior spread (one sample, or the guard fell back to bicubic)");
            }
            for (float v : e.uncertainty().pixels()) {
                max = Math.max(max, v);
            }
        }
        double slope = spreadSlope(max);
        int perFrame = frames.get(0).uncertainty().pixels().length;
        short[] words = new short[perFrame * frames.size()];
        for (int f = 0; f < frames.size(); f++) {
            float[] sd = frames.get(f).uncertainty().pixels();
            for (int i = 0; i < sd.length; i++) {
                words[f * perFrame + i] = (short) Math.min(65535, Math.round(Math.max(0, sd[i]) / slope));
            }
        }
        OtherWordAttribute a = new OtherWordAttribute(TagFromName.PixelData);
        a.setValues(words);
        out.put(a);
        for (AttributeTag t : new AttributeTag[] {TagFromName.SmallestImagePixelValue, TagFromName.LargestImagePixelValue,
                new AttributeTag(0x0028, 0x3000) /* Modality LUT Sequence */, TagFromName.VOILUTSequence,
                TagFromName.WindowCenterWidthExplanation, new AttributeTag(0x0028, 0x1040) /* Pixel Intensity Relationship */}) {
            out.remove(t);
        }
        Dicom.put(out, TagFromName.SamplesPerPixel, "1");
        Dicom.put(out, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        Dicom.put(out, TagFromName.BitsAllocated, "16");
        Dicom.put(out, TagFromName.BitsStored, "16");
        Dicom.put(out, TagFromName.HighBit, "15");
        Dicom.put(out, TagFromName.PixelRepresentation, "0");
        Dicom.put(out, TagFromName.RescaleSlope, Dicom.ds(slope));
        Dicom.put(out, TagFromName.RescaleIntercept, "0");
        if (out.get(TagFromName.RescaleType) == null) {
            Dicom.put(out, TagFromName.RescaleType, "US"); // unspecified: MR values have no unit
        }
        Dicom.putDecimals(out, TagFromName.WindowCenter, Math.max(max, slope) / 2);
        Dicom.putDecimals(out, TagFromName.WindowWidth, Math.max(max, slope));
    }

    /** The value of one stored step; a decimal string (DS) holds it exactly, so decoding uses this very number. */
    static double spreadSlope(double max) {
        double raw = Math.max(max, 1e-6) / 65000;
        return Double.parseDouble(Dicom.ds(raw));
    }

    private static void putIdentity(AttributeList out, SourceImage source, Derivation d, DerivedSeries series, String seriesUid,
                                    String instanceUid) {
        Dicom.put(out, TagFromName.SeriesInstanceUID, seriesUid);
        Dicom.put(out, TagFromName.SOPInstanceUID, instanceUid);
        Dicom.put(out, TagFromName.SeriesNumber, series.number(Dicom.string(out, TagFromName.SeriesNumber)));
        Dicom.put(out, TagFromName.SeriesDescription, series.description(Dicom.string(out, TagFromName.SeriesDescription)));
        String[] type = Dicom.strings(out, TagFromName.ImageType);
        // Enhanced IODs enumerate Image Type value 2 as PRIMARY only (C.8.16.1.1); the others use SECONDARY.
        List<String> newType = new ArrayList<>(List.of("DERIVED", source.hasFunctionalGroups() ? "PRIMARY" : "SECONDARY"));
        for (int i = 2; i < type.length; i++) {
            newType.add(type[i]);
        }
        Dicom.put(out, TagFromName.ImageType, newType.toArray(String[]::new));
        if (!"YES".equals(Dicom.string(out, TagFromName.BurnedInAnnotation))) {
            Dicom.put(out, TagFromName.BurnedInAnnotation, "NO");
        }
        Dicom.put(out, TagFromName.ImageComments, imageComments(d));
        // General Series Laterality is type 2C (paired body parts); sources without Body Part Examined often omit it.
        // Unknown to us too, so present and empty; where a body part is named we leave the source's choice alone.
        if (out.get(TagFromName.Laterality) == null && out.get(TagFromName.ImageLaterality) == null && !source.hasFunctionalGroups()
                && Dicom.string(out, TagFromName.BodyPartExamined).isEmpty()) {
            Dicom.put(out, TagFromName.Laterality);
        }
    }

    static String imageComments(Derivation d) {
        StringBuilder b = d.isUncertainty()
                ? new StringBuilder("UNCERTAINTY MAP, not an image: per-pixel ").append(d.method()).append(", ").append(d.scale())
                        .append("x by ").append(d.modelId()).append(' ').append(d.modelVersion())
                        .append(". Values = stored x Rescale Slope, in the source's units. NOT FOR DIAGNOSTIC USE.")
                : new StringBuilder("AI-enhanced ").append(d.scale()).append("x by ").append(d.modelId()).append(' ')
                        .append(d.modelVersion()).append(" (").append(d.method()).append("). NOT FOR DIAGNOSTIC USE.");
        if (d.outOfDistribution()) {
            b.append(" WARNING: the out-of-distribution guard flagged this input as unlike the model's training data.");
        }
        if (d.note() != null && !d.note().isBlank()) {
            b.append(' ').append(d.note().strip());
        }
        return Dicom.fit(b.toString(), 10240);
    }

    static String derivationDescription(Derivation d) {
        String text = "Super-resolution " + d.scale() + "x (" + d.method() + ") by " + d.modelId() + " " + d.modelVersion()
                + (d.parameters().isEmpty() ? "" : "; " + d.parameters())
                + (d.outOfDistribution() ? "; input flagged out of distribution" : "");
        return Dicom.fit(text, 1024);
    }

    private static void putDerivation(AttributeList out, SourceImage source, Derivation d, List<EnhancedImage> frames, boolean enhanced)
            throws DicomException {
        if (enhanced) {
            EnhancedFrames.putDerivation(out, source, d);
        } else {
            Dicom.put(out, TagFromName.DerivationDescription, derivationDescription(d));
            Dicom.sequence(out, TagFromName.DerivationCodeSequence, Dicom.code(SPATIAL_RESAMPLING[0], SPATIAL_RESAMPLING[1], SPATIAL_RESAMPLING[2]));
            Dicom.sequence(out, TagFromName.SourceImageSequence, sourceReference(source, -1));
        }
        putReferencedSeries(out, source);
        putContributingEquipment(out, d);
    }

    /** An item of Source Image Sequence; frameNumber &gt; 0 adds Referenced Frame Number. */
    static AttributeList sourceReference(SourceImage source, int frameNumber) {
        AttributeList item = new AttributeList();
        Dicom.put(item, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
        Dicom.put(item, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
        if (frameNumber > 0) {
            Dicom.put(item, TagFromName.ReferencedFrameNumber, Integer.toString(frameNumber));
        }
        Dicom.sequence(item, TagFromName.PurposeOfReferenceCodeSequence,
                Dicom.code(SOURCE_FOR_PROCESSING[0], SOURCE_FOR_PROCESSING[1], SOURCE_FOR_PROCESSING[2]));
        return item;
    }

    /** Common Instance Reference: the source's series with the source instance, merged with what was already listed. */
    private static void putReferencedSeries(AttributeList out, SourceImage source) {
        SequenceAttribute existing = out.get(TagFromName.ReferencedSeriesSequence) instanceof SequenceAttribute sq ? sq : null;
        SequenceAttribute merged = new SequenceAttribute(TagFromName.ReferencedSeriesSequence);
        boolean added = false;
        if (existing != null) {
            for (int i = 0; i < existing.getNumberOfItems(); i++) {
                AttributeList item = existing.getItem(i).getAttributeList();
                if (source.seriesInstanceUid().equals(Dicom.string(item, TagFromName.SeriesInstanceUID))) {
                    SequenceAttribute instances = item.get(TagFromName.ReferencedInstanceSequence) instanceof SequenceAttribute r ? r
                            : Dicom.sequence(item, TagFromName.ReferencedInstanceSequence);
                    instances.addItem(instanceReference(source));
                    added = true;
                }
                merged.addItem(item);
            }
        }
        if (!added) {
            AttributeList item = new AttributeList();
            Dicom.put(item, TagFromName.SeriesInstanceUID, source.seriesInstanceUid());
            Dicom.sequence(item, TagFromName.ReferencedInstanceSequence, instanceReference(source));
            merged.addItem(item);
        }
        out.put(merged);
    }

    private static AttributeList instanceReference(SourceImage source) {
        AttributeList ref = new AttributeList();
        Dicom.put(ref, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
        Dicom.put(ref, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
        return ref;
    }

    private static void putContributingEquipment(AttributeList out, Derivation d) {
        SequenceAttribute seq = out.get(TagFromName.ContributingEquipmentSequence) instanceof SequenceAttribute sq ? sq
                : Dicom.sequence(out, TagFromName.ContributingEquipmentSequence);
        AttributeList item = new AttributeList();
        Dicom.sequence(item, TagFromName.PurposeOfReferenceCodeSequence,
                Dicom.code(MODIFYING_EQUIPMENT[0], MODIFYING_EQUIPMENT[1], MODIFYING_EQUIPMENT[2]));
        Dicom.put(item, TagFromName.Manufacturer, MANUFACTURER);
        Dicom.put(item, TagFromName.ManufacturerModelName, Dicom.fit(d.modelId(), 64));
        Dicom.put(item, TagFromName.SoftwareVersions, Dicom.fit(d.modelId(), 64), Dicom.fit(d.modelVersion(), 64));
        Dicom.put(item, TagFromName.DeviceUID, DerivedUids.deviceUid(d));
        Dicom.put(item, TagFromName.ContributionDescription, Dicom.fit(d.method(), 1024));
        seq.addItem(item);
    }

    /** The enhancement is not compression; but pixels decoded from a lossy syntax keep that history (PS3.3 C.7.6.1.1.5). */
    private static void putLossyCompressionHistory(AttributeList out, SourceImage source) {
        String method = TransferSyntaxes.LOSSY_METHOD.get(source.transferSyntaxUid());
        if (method != null) {
            Dicom.put(out, TagFromName.LossyImageCompression, "01");
            List<String> methods = new ArrayList<>(List.of(Dicom.strings(out, TagFromName.LossyImageCompressionMethod)));
            if (!methods.contains(method)) {
                List<String> ratios = new ArrayList<>(List.of(Dicom.strings(out, TagFromName.LossyImageCompressionRatio)));
                methods.add(method);
                if (ratios.size() == methods.size() - 1) {
                    double ratio = source.compressionRatio();
                    if (ratio > 0) {
                        ratios.add(Dicom.ds(Math.round(ratio * 100) / 100.0));
                        Dicom.put(out, TagFromName.LossyImageCompressionRatio, ratios.toArray(String[]::new));
                    }
                }
                Dicom.put(out, TagFromName.LossyImageCompressionMethod, methods.toArray(String[]::new));
            }
        } else if (out.get(TagFromName.LossyImageCompression) == null) {
            Dicom.put(out, TagFromName.LossyImageCompression, "00");
        }
    }

    static Attribute attribute(AttributeList list, AttributeTag tag) {
        return list.get(tag);
    }
}

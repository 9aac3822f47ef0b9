package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SOPClassDescriptions;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import io.scanenhancer.dicom.RefusedInputException.Category;
import io.scanenhancer.dicom.SourceImage.PixelFormat;

import java.util.Map;
import java.util.Set;

/** The header checks that decide whether an object can be enhanced at all. */
final class ImageChecks {
    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final String ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1";
    static final String LEGACY_ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.2";
    static final String LEGACY_ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.4";
    static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
    static final String MF_GRAYSCALE_BYTE_SC = "1.2.840.10008.5.1.4.1.1.7.2";
    static final String MF_GRAYSCALE_WORD_SC = "1.2.840.10008.5.1.4.1.1.7.3";

    /** Classes whose derived object keeps the source's class and stays valid with our changes. */
    static final Map<String, String> SUPPORTED = Map.of(
            CT, "CT Image", ENHANCED_CT, "Enhanced CT Image", MR, "MR Image", ENHANCED_MR, "Enhanced MR Image",
            LEGACY_ENHANCED_CT, "Legacy Converted Enhanced CT Image", LEGACY_ENHANCED_MR, "Legacy Converted Enhanced MR Image",
            SECONDARY_CAPTURE, "Secondary Capture Image", MF_GRAYSCALE_BYTE_SC, "Multi-frame Grayscale Byte Secondary Capture Image",
            MF_GRAYSCALE_WORD_SC, "Multi-frame Grayscale Word Secondary Capture Image");

    private ImageChecks() {
    }

    static void checkIsSupportedImage(AttributeList h) throws RefusedInputException {
        String sopClass = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.SOPClassUID).strip();
        if (sopClass.isEmpty()) {
            throw new RefusedInputException(Category.INCONSISTENT, "no SOP Class UID: not a valid DICOM composite object");
        }
        if (!SUPPORTED.containsKey(sopClass)) {
            String name = SOPClassDescriptions.getDescriptionFromUID(sopClass);
            throw new RefusedInputException(Category.NOT_AN_IMAGE, "SOP class " + (name == null || name.isEmpty() ? "unknown" : name)
                    + " (" + QuotedValues.uid(sopClass) + ") is not an image this enhancer handles (CT, MR, enhanced CT/MR, grayscale secondary capture)");
        }
    }

    /**
     * Our own outputs come back as PACS events too; enhancing them again would compound the model's output (and loop).
     */
    static void checkNotAlreadyEnhanced(AttributeList h) throws RefusedInputException {
        if (h.get(TagFromName.ContributingEquipmentSequence) instanceof SequenceAttribute s) {
            for (int i = 0; i < s.getNumberOfItems(); i++) {
                AttributeList item = s.getItem(i).getAttributeList();
                if (DerivedImageWriter.MANUFACTURER.equals(Attribute.getSingleStringValueOrEmptyString(item, TagFromName.Manufacturer).strip())) {
                    String[] versions = Attribute.getStringValues(item, TagFromName.SoftwareVersions);
                    throw new RefusedInputException(Category.ALREADY_ENHANCED, "already AI-enhanced by " + DerivedImageWriter.MANUFACTURER
                            + (versions == null ? "" : " (" + String.join(" ", versions) + ")") + "; enhancing it again would compound the model's output");
                }
            }
        }
    }

    /** Derived UIDs are computed from the source's; they must exist, be well formed and not collide. */
    static void checkIdentity(AttributeList h) throws RefusedInputException {
        String study = uid(h, TagFromName.StudyInstanceUID, "Study Instance UID");
        String series = uid(h, TagFromName.SeriesInstanceUID, "Series Instance UID");
        String instance = uid(h, TagFromName.SOPInstanceUID, "SOP Instance UID");
        String frameOfReference = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.FrameOfReferenceUID).strip();
        if (study.equals(series) || study.equals(instance) || series.equals(instance)) {
            throw new RefusedInputException(Category.INCONSISTENT, "Study, Series and SOP Instance UIDs are not distinct");
        }
        if (!frameOfReference.isEmpty() && (frameOfReference.equals(study) || frameOfReference.equals(series) || frameOfReference.equals(instance))) {
            throw new RefusedInputException(Category.INCONSISTENT, "Frame of Reference UID equals the Study, Series or SOP Instance UID");
        }
    }

    private static String uid(AttributeList h, com.pixelmed.dicom.AttributeTag tag, String name) throws RefusedInputException {
        String v = Attribute.getSingleStringValueOrEmptyString(h, tag).strip();
        if (v.isEmpty()) {
            throw new RefusedInputException(Category.INCONSISTENT, "no " + name);
        }
        if (v.length() > 64 || !v.matches("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*")) {
            throw new RefusedInputException(Category.INCONSISTENT, name + " is not a valid UID");
        }
        return v;
    }

    /** PS3.3 C.7.6.3.1.2 defined terms other than MONOCHROME1/2: safe to quote in a reason. */
    private static final Set<String> COLOUR_TERMS = Set.of("PALETTE COLOR", "RGB", "HSV", "ARGB", "CMYK", "YBR_FULL",
            "YBR_FULL_422", "YBR_PARTIAL_422", "YBR_PARTIAL_420", "YBR_ICT", "YBR_RCT");

    static PixelFormat checkPixelFormat(AttributeList h) throws RefusedInputException {
        String pi = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.PhotometricInterpretation).strip();
        int samples = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.SamplesPerPixel, 1);
        if (pi.isEmpty()) {
            throw new RefusedInputException(Category.INCONSISTENT, "no Photometric Interpretation");
        }
        if (samples != 1 || !(pi.equals("MONOCHROME1") || pi.equals("MONOCHROME2"))) {
            throw new RefusedInputException(Category.COLOUR, "colour or palette image (Photometric Interpretation " + QuotedValues.definedTerm(pi, COLOUR_TERMS) + ", " + samples
                    + " samples per pixel): only MONOCHROME1 and MONOCHROME2 can be enhanced");
        }
        int allocated = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.BitsAllocated, 0);
        int stored = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.BitsStored, 0);
        int highBit = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.HighBit, -1);
        int representation = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.PixelRepresentation, -1);
        if (allocated != 8 && allocated != 16) {
            throw new RefusedInputException(Category.UNSUPPORTED_PIXEL_FORMAT, "Bits Allocated " + allocated + " is not supported (8 or 16)");
        }
        if (stored < 1 || stored > allocated) {
            throw new RefusedInputException(Category.INCONSISTENT, "Bits Stored " + stored + " does not fit Bits Allocated " + allocated);
        }
        if (highBit != stored - 1) {
            throw new RefusedInputException(Category.UNSUPPORTED_PIXEL_FORMAT, "High Bit " + highBit + " with Bits Stored " + stored
                    + " is not supported (High Bit must be Bits Stored - 1)");
        }
        if (representation != 0 && representation != 1) {
            throw new RefusedInputException(Category.INCONSISTENT, "Pixel Representation " + representation + " is neither 0 nor 1");
        }
        if (h.get(new com.pixelmed.dicom.AttributeTag(0x0028, 0x3000)) != null) {
            throw new RefusedInputException(Category.UNSUPPORTED_PIXEL_FORMAT, "Modality LUT Sequence is not supported (only Rescale Slope/Intercept)");
        }
        return new PixelFormat(allocated, stored, representation == 1);
    }

    static int checkDimensions(AttributeList h, int rows, int columns) throws RefusedInputException {
        int frames = Attribute.getSingleIntegerValueOrDefault(h, TagFromName.NumberOfFrames, 1);
        String framesText = Attribute.getSingleStringValueOrEmptyString(h, TagFromName.NumberOfFrames).strip();
        if (!framesText.isEmpty() && !framesText.matches("\\+?[0-9]+")) {
            throw new RefusedInputException(Category.INCONSISTENT, "Number of Frames is not a number ("
                    + framesText.length() + " characters)");
        }
        if (rows <= 0 || columns <= 0 || frames <= 0) {
            throw new RefusedInputException(Category.INCONSISTENT, "Rows " + rows + ", Columns " + columns + ", Number of Frames " + frames
                    + ": an image needs at least one pixel");
        }
        if (rows > SourceImage.MAX_EDGE || columns > SourceImage.MAX_EDGE || frames > SourceImage.MAX_FRAMES
                || (long) rows * columns * frames > SourceImage.MAX_TOTAL_PIXELS) {
            throw new RefusedInputException(Category.ABSURD_DIMENSIONS, "absurd dimensions: " + rows + " x " + columns + " pixels x " + frames
                    + " frames exceeds the limits (edge <= " + SourceImage.MAX_EDGE + ", frames <= " + SourceImage.MAX_FRAMES + ", "
                    + SourceImage.MAX_TOTAL_PIXELS + " pixels in all)");
        }
        if (h.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute perFrame
                && perFrame.getNumberOfItems() != frames) {
            throw new RefusedInputException(Category.INCONSISTENT, "Per-frame Functional Groups Sequence has " + perFrame.getNumberOfItems()
                    + " items for " + frames + " frames");
        }
        return frames;
    }
}

package io.scanenhancer.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;

import java.util.ArrayList;
import java.util.List;

/**
 * The enhanced multi-frame IODs record derivation per frame (Derivation Image macro, PS3.3 C.7.6.16.2.6) and mark
 * each frame's Frame Type in the modality's frame type macro.
 */
final class EnhancedFrames {
    private static final AttributeTag[] FRAME_TYPE_SEQUENCES = {TagFromName.MRImageFrameTypeSequence, TagFromName.CTImageFrameTypeSequence};

    private EnhancedFrames() {
    }

    static void putDerivation(AttributeList out, SourceImage source, Derivation d) {
        putSourceEvidence(out, source);
        AttributeList shared = FunctionalGroups.item(out.get(TagFromName.SharedFunctionalGroupsSequence), 0);
        SequenceAttribute perFrame = out.get(TagFromName.PerFrameFunctionalGroupsSequence) instanceof SequenceAttribute p ? p : null;
        if (shared != null) {
            shared.remove(TagFromName.DerivationImageSequence);
            markDerived(shared);
        }
        if (perFrame != null) {
            for (int f = 0; f < perFrame.getNumberOfItems(); f++) {
                AttributeList group = perFrame.getItem(f).getAttributeList();
                group.remove(TagFromName.DerivationImageSequence);
                Dicom.sequence(group, TagFromName.DerivationImageSequence, derivationItem(source, d, f + 1));
                markDerived(group);
            }
        } else if (shared != null) {
            Dicom.sequence(shared, TagFromName.DerivationImageSequence, derivationItem(source, d, -1));
        }
    }

    /** Source Image Evidence Sequence (hierarchical SOP instance reference), required once Image Type says DERIVED. */
    static void putSourceEvidence(AttributeList out, SourceImage source) {
        AttributeList instance = new AttributeList();
        Dicom.put(instance, TagFromName.ReferencedSOPClassUID, source.sopClassUid());
        Dicom.put(instance, TagFromName.ReferencedSOPInstanceUID, source.sopInstanceUid());
        AttributeList series = new AttributeList();
        Dicom.put(series, TagFromName.SeriesInstanceUID, source.seriesInstanceUid());
        Dicom.sequence(series, new AttributeTag(0x0008, 0x1199), instance);
        AttributeList study = new AttributeList();
        Dicom.put(study, TagFromName.StudyInstanceUID, source.studyInstanceUid());
        Dicom.sequence(study, TagFromName.ReferencedSeriesSequence, series);
        Dicom.sequence(out, new AttributeTag(0x0008, 0x9154), study);
    }

    private static AttributeList derivationItem(SourceImage source, Derivation d, int frameNumber) {
        AttributeList item = new AttributeList();
        Dicom.put(item, TagFromName.DerivationDescription, DerivedImageWriter.derivationDescription(d));
        String[] c = DerivedImageWriter.SPATIAL_RESAMPLING;
        Dicom.sequence(item, TagFromName.DerivationCodeSequence, Dicom.code(c[0], c[1], c[2]));
        Dicom.sequence(item, TagFromName.SourceImageSequence, DerivedImageWriter.sourceReference(source, frameNumber));
        return item;
    }

    private static void markDerived(AttributeList group) {
        for (AttributeTag t : FRAME_TYPE_SEQUENCES) {
            AttributeList frameType = FunctionalGroups.item(group.get(t), 0);
            if (frameType != null) {
                String[] v = Dicom.strings(frameType, TagFromName.FrameType);
                List<String> values = new ArrayList<>(List.of("DERIVED", "PRIMARY"));
                for (int i = 2; i < v.length; i++) {
                    values.add(v[i]);
                }
                Attribute a = Dicom.put(frameType, TagFromName.FrameType, values.toArray(String[]::new));
                assert a != null;
            }
        }
    }
}

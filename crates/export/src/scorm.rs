//! `imsmanifest.xml` for SCORM 1.2 and SCORM 2004 4th edition, and the schema files a
//! package carries beside it.
//!
//! Both manifests launch the same `index.html`. With one SCO the organization has one item;
//! with a SCO per lesson each lesson is an item launching `index.html?lesson=N` (the item's
//! `parameters`), so the LMS keeps a score and a completion per lesson. The mastery score goes
//! to the LMS as SCORM 1.2's `adlcp:masteryscore` (percent) and SCORM 2004's primary objective
//! satisfied by a normalized measure (`cmi.scaled_passing_score`); the player decides passed
//! or failed with the same figure when the LMS gives none.
//!
//! The manifests use only what the schemas in `scorm-xsd/` (those of the SCORM 1.2 and SCORM
//! 2004 3rd edition content packaging, which 4th edition reuses) define; the tests check
//! them with xmllint.

use crate::course::PlayerCourse;
use crate::{Format, ScoLayout};
use quick_xml::escape::escape;

/// The schema files a package carries at its root, for each format (path in `scorm-xsd/`,
/// and the contents).
pub fn schema_files(format: Format) -> &'static [(&'static str, &'static str)] {
    macro_rules! xsd {
        ($dir:literal, $($name:literal),* $(,)?) => {
            &[$(($name, include_str!(concat!("../scorm-xsd/", $dir, "/", $name)))),*]
        };
    }
    match format {
        Format::Web => &[],
        Format::Scorm12 => xsd!(
            "scorm12",
            "imscp_rootv1p1p2.xsd",
            "adlcp_rootv1p2.xsd",
            "ims_xml.xsd",
        ),
        Format::Scorm2004 => xsd!(
            "scorm2004",
            "imscp_v1p1.xsd",
            "adlcp_v1p3.xsd",
            "adlseq_v1p3.xsd",
            "adlnav_v1p3.xsd",
            "imsss_v1p0.xsd",
            "imsss_v1p0auxresource.xsd",
            "imsss_v1p0control.xsd",
            "imsss_v1p0delivery.xsd",
            "imsss_v1p0limit.xsd",
            "imsss_v1p0objective.xsd",
            "imsss_v1p0random.xsd",
            "imsss_v1p0rollup.xsd",
            "imsss_v1p0seqrule.xsd",
            "imsss_v1p0util.xsd",
            "xml.xsd",
        ),
    }
}

/// An identifier as XML's `xsd:ID` accepts it (a letter first, then letters, digits, `-`,
/// `_`, `.`).
fn xml_id(prefix: &str, id: impl std::fmt::Display) -> String {
    format!("{prefix}-{id}")
}

/// One launchable item of the organization: its title, the lesson it plays (1-based; none for
/// the whole course), and its identifier.
struct Item {
    id: String,
    title: String,
    lesson: Option<usize>,
}

fn items(course: &PlayerCourse) -> Vec<Item> {
    match course.sco_layout {
        ScoLayout::Course => vec![Item {
            id: xml_id("item", course.id),
            title: course.title.clone(),
            lesson: None,
        }],
        ScoLayout::PerLesson => course
            .lessons
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.slides.is_empty())
            .map(|(i, l)| Item {
                id: xml_id("item", l.id),
                title: if l.title.trim().is_empty() {
                    format!("Lesson {}", i + 1)
                } else {
                    l.title.clone()
                },
                lesson: Some(i + 1),
            })
            .collect(),
    }
}

/// A title as the manifest holds it: never empty (an LMS shows it in its course list).
fn title(text: &str) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape(if t.is_empty() {
        "Untitled course"
    } else {
        t.as_str()
    })
    .into_owned()
}

fn file_list(files: &[String]) -> String {
    files
        .iter()
        .map(|f| format!("      <file href=\"{}\"/>\n", escape(f.as_str())))
        .collect()
}

/// The manifest for `format` (`None` for the web player, which has none). `files` are the
/// package's files the player uses, `index.html` first.
pub fn manifest(course: &PlayerCourse, format: Format, files: &[String]) -> Option<String> {
    match format {
        Format::Web => None,
        Format::Scorm12 => Some(manifest_12(course, files)),
        Format::Scorm2004 => Some(manifest_2004(course, files)),
    }
}

fn parameters(item: &Item) -> String {
    item.lesson
        .map(|n| format!(" parameters=\"?lesson={n}\""))
        .unwrap_or_default()
}

fn manifest_12(course: &PlayerCourse, files: &[String]) -> String {
    let mastery = (course.mastery_score * 100.0).round().clamp(0.0, 100.0);
    let items: String = items(course)
        .iter()
        .map(|item| {
            format!(
                "      <item identifier=\"{id}\" identifierref=\"sco\" isvisible=\"true\"{params}>\n        <title>{title}</title>\n        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>\n      </item>\n",
                id = item.id,
                params = parameters(item),
                title = title(&item.title),
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{manifest_id}" version="1"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org-1">
    <organization identifier="org-1">
      <title>{title}</title>
{items}    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
{files}    </resource>
  </resources>
</manifest>
"#,
        manifest_id = xml_id("classkit", course.id),
        title = title(&course.title),
        files = file_list(files),
    )
}

fn manifest_2004(course: &PlayerCourse, files: &[String]) -> String {
    let mastery = course.mastery_score.clamp(0.0, 1.0);
    let items: String = items(course)
        .iter()
        .map(|item| {
            format!(
                r#"      <item identifier="{id}" identifierref="sco"{params}>
        <title>{title}</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="{id}-mastery" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>{mastery}</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>
"#,
                id = item.id,
                params = parameters(item),
                title = title(&item.title),
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="{manifest_id}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="org-1">
    <organization identifier="org-1" adlseq:objectivesGlobalToSystem="false">
      <title>{title}</title>
{items}      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco" type="webcontent" adlcp:scormType="sco" href="index.html">
{files}    </resource>
  </resources>
</manifest>
"#,
        manifest_id = xml_id("classkit", course.id),
        title = title(&course.title),
        files = file_list(files),
    )
}

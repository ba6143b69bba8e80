/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by electron-builder */
/**
 * electron-builder `msiProjectCreated` hook: the MSI (per machine, for Group Policy / Intune / SCCM)
 * creates the folder for IT's machine policy, %ProgramData%\VitalsDesk, as the NSIS installer does:
 * protected from inheritance (ProgramData lets every user create and own subfolders), owned by
 * Administrators, full control for SYSTEM and Administrators, read and execute for Users. The ACL is an
 * SDDL string of well-known aliases (SY, BA, BU), so localized Windows works; MsiLockPermissionsEx needs
 * Windows Installer 5.0, which the project's InstallerVersion="500" already requires. The component is
 * permanent: uninstalling leaves the folder and the policy, which are IT's, not the app's.
 */
'use strict';

const fs = require('node:fs');

const POLICY_FOLDER_SDDL = 'O:BAG:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)';
// Fixed forever: Windows Installer tracks the component (and its permanence) by this id.
const COMPONENT_GUID = '6F0D8B2E-3C7A-4E51-9A0B-5D2C41E7B9A3';

const directory = `
    <DirectoryRef Id="TARGETDIR">
      <Directory Id="CommonAppDataFolder">
        <Directory Id="VITALSPOLICYFOLDER" Name="VitalsDesk">
          <Component Id="VitalsPolicyFolder" Guid="${COMPONENT_GUID}" Permanent="yes">
            <CreateFolder>
              <PermissionEx Sddl="${POLICY_FOLDER_SDDL}"/>
            </CreateFolder>
          </Component>
        </Directory>
      </Directory>
    </DirectoryRef>
`;

/** The project file with the policy folder added; throws if the file is not shaped as expected. */
function withPolicyFolder(wxs) {
  if (wxs.includes('Id="VitalsPolicyFolder"')) return wxs;
  const feature = /(<Feature Id="ProductFeature"[^>]*>)/;
  if (!feature.test(wxs) || !wxs.includes('</Product>'))
    throw new Error('MSI project: no ProductFeature or Product element to add the policy folder to');
  return wxs
    .replace(feature, '$1\n      <ComponentRef Id="VitalsPolicyFolder"/>')
    .replace('</Product>', `${directory}  </Product>`);
}

async function msiProjectCreated(projectFile) {
  fs.writeFileSync(projectFile, withPolicyFolder(fs.readFileSync(projectFile, 'utf8')));
}

module.exports = msiProjectCreated;
module.exports.default = msiProjectCreated;
module.exports.withPolicyFolder = withPolicyFolder;
module.exports.POLICY_FOLDER_SDDL = POLICY_FOLDER_SDDL;

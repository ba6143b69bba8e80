; NSIS include for the Windows installer (electron-builder `nsis.include`).
;
; A per-machine install creates the folder for IT's machine policy, %ProgramData%\VitalsDesk, so that
; only SYSTEM and Administrators can change it: inherited permissions are removed (ProgramData lets
; every user create and own subfolders), the owner becomes Administrators, and Users may only read.
; Vitals Desk refuses a policy.json that anyone else can write. A per-user install runs without
; administrator rights and cannot do this; it leaves the folder alone. The uninstaller keeps the
; folder: the policy is IT's, not the app's. Well-known SIDs are used so that localized Windows works:
;   S-1-5-18 SYSTEM, S-1-5-32-544 Administrators, S-1-5-32-545 Users.

!macro vitalsPolicyFolder
  ; $0 and $1 may hold the installer's own values: keep them.
  Push $0
  Push $1
  ${if} $installMode == "all"
    ReadEnvStr $0 "ProgramData"
    ${if} $0 == ""
      StrCpy $0 "$WINDIR\..\ProgramData"
    ${endif}
    StrCpy $0 "$0\VitalsDesk"
    CreateDirectory "$0"
    ; Start from the default permissions (drops any grants added to an existing folder), then replace them.
    nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$0" /reset /T /C /Q'
    Pop $1
    nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$0" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX /C /Q'
    Pop $1
    ${if} $1 != 0
      DetailPrint "Vitals Desk: could not restrict $0 to administrators (icacls: $1)"
    ${endif}
    ; Last, so that anything created in the folder meanwhile belongs to Administrators too.
    nsExec::ExecToLog '"$SYSDIR\icacls.exe" "$0" /setowner *S-1-5-32-544 /T /C /Q'
    Pop $1
    ${if} $1 != 0
      DetailPrint "Vitals Desk: could not make $0 owned by administrators (icacls: $1)"
    ${endif}
  ${endif}
  Pop $1
  Pop $0
!macroend

!macro customInstall
  !insertmacro vitalsPolicyFolder
!macroend

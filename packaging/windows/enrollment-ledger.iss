; 参保台账 (Enrollment Ledger) — Windows installer, Inno Setup 6.
;
; Wraps the one-folder PyInstaller bundle (packaging/enrollment-ledger.spec -> dist\enrollment-ledger)
; into enrollment-ledger-<version>-setup.exe:
;   - installs for the current user only, without administrator rights (PrivilegesRequired=lowest),
;     into %LOCALAPPDATA%\Programs\enrollment-ledger;
;   - Chinese (Simplified) first, English available;
;   - Start-menu and desktop shortcuts to enrollment-ledger-gui.exe (the window, no console);
;     enrollment-ledger.exe in the same folder is the command line;
;   - the uninstaller removes the program and keeps the ledger, which lives in
;     %LOCALAPPDATA%\enrollment-ledger (outside the program folder); it asks whether to delete the
;     ledger too, and the answer it starts on is No. A silent uninstall never deletes it.
;
; Saved as UTF-8 with a BOM (Inno Setup before 6.3 needs it for the Chinese text).
; Built only by .github/workflows/windows-installer.yml on a Windows runner:
;   iscc /DAppVersion=0.1.0 /DVersionNumbers=0.1.0.0 packaging\windows\enrollment-ledger.iss
; tests/packaging/test_layout.py checks, on Linux, that the paths and version here agree with the
; spec and with desktop_app.__version__.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef VersionNumbers
  ; the four numbers of the Windows version resource (bundle_layout.py windows-version)
  #define VersionNumbers "0.1.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\enrollment-ledger"
#endif
#define CliExe "enrollment-ledger.exe"
#define GuiExe "enrollment-ledger-gui.exe"
#define DataFolderName "enrollment-ledger"
#define SettingsKey "Software\enrollment-ledger"

; The Chinese messages: official in recent Inno Setup releases, "unofficial" (and then not
; installed with Inno Setup) in older ones. Use the compiler's copy when it has one, else a
; ChineseSimplified.isl put beside this script (the workflow fetches it; see packaging/README.md).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\SimplifiedChinese.isl")
  #define ChineseIsl "compiler:Languages\SimplifiedChinese.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\Unofficial\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: use an Inno Setup that ships it, or put it beside this script (packaging/README.md)
#endif

[Setup]
AppId={{697E9762-9E6C-43FE-AE20-40E50EDEFF35}
AppName={cm:AppTitle}
AppVersion={#AppVersion}
AppVerName={cm:AppTitle} {#AppVersion}
AppPublisher=参保台账 Enrollment Ledger
VersionInfoVersion={#VersionNumbers}
VersionInfoProductName=参保台账 Enrollment Ledger
PrivilegesRequired=lowest
DefaultDirName={autopf}\enrollment-ledger
DefaultGroupName={cm:AppTitle}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=enrollment-ledger-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\enrollment-ledger.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={cm:AppTitle}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AppTitle=参保台账
english.AppTitle=Enrollment Ledger
chinesesimplified.DeleteLedgerQuestion=是否同时删除台账数据？%n%n%1%n%n其中有全部参保人员信息和备份。删除后无法恢复。%n如果以后还要使用，或要把台账转到别的电脑，请选“否”。
english.DeleteLedgerQuestion=Also delete the ledger?%n%n%1%n%nIt holds every person's records and the backups. Deleted, it cannot be recovered.%nChoose No if you will use it again or move it to another computer.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:AppTitle}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{cm:AppTitle}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{cm:AppTitle}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The ledger is in the user's data folder, not in {app}: the uninstaller leaves it unless the
  user says Yes to a question that starts on No. Settings (language, window layout) are Qt's
  registry keys under HKCU\Software\enrollment-ledger and go with the ledger. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if UninstallSilent then
    Exit;
  DataDir := ExpandConstant('{localappdata}\{#DataFolderName}');
  if not DirExists(DataDir) then
    Exit;
  if SuppressibleMsgBox(FmtMessage(CustomMessage('DeleteLedgerQuestion'), [DataDir]),
       mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES then
  begin
    DelTree(DataDir, True, True, True);
    RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, '{#SettingsKey}');
  end;
end;
